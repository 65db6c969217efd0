package io.authgate.core.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10RequestControl;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming encoder writes the same bytes as the SDK's element tree, message after message. */
class LdapWireTest {
  private static byte[] reference(int id, ProtocolOp op, List<Control> controls) {
    return new LDAPMessage(id, op, controls).encode().encode();
  }

  @Test
  void messagesEncodeAsTheSdkEncodesThemWithOneScratchBufferReused() throws Exception {
    ASN1Buffer scratch = new ASN1Buffer();
    SearchRequestProtocolOp search = new SearchRequestProtocolOp("ou=people,dc=example,dc=org", SearchScope.SUB,
        DereferencePolicy.NEVER, 2, 5, false, Filter.create("(|(uid=al\\2aice)(mail=alice@example.org))"),
        List.of("uid", "mail", "memberOf"));
    BindRequestProtocolOp bind = new BindRequestProtocolOp("uid=alice,ou=people,dc=example,dc=org", "s3cret-é");
    List<Control> ppolicy = List.of(new DraftBeheraLDAPPasswordPolicy10RequestControl());
    // A long message first, then shorter ones: nothing of an earlier message may trail a later one.
    assertThat(LdapWire.encode(scratch, 1, search, List.of()).getBytes()).isEqualTo(reference(1, search, List.of()));
    assertThat(LdapWire.encode(scratch, 2, bind, ppolicy).getBytes()).isEqualTo(reference(2, bind, ppolicy));
    assertThat(LdapWire.encode(scratch, 300, new AbandonRequestProtocolOp(2), List.of()).getBytes())
        .isEqualTo(reference(300, new AbandonRequestProtocolOp(2), List.of()));
    // And what is written decodes back to the same message.
    Buffer again = LdapWire.encode(scratch, 70_000, search, List.of());
    List<LDAPMessage> decoded = new LdapWire.Decoder().feed(again);
    assertThat(decoded).hasSize(1);
    assertThat(decoded.get(0).getMessageID()).isEqualTo(70_000);
    assertThat(decoded.get(0).getProtocolOp()).isInstanceOf(SearchRequestProtocolOp.class);
  }
}
