package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import net.shibboleth.utilities.java.support.xml.ParserPool;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SamlBootstrapTest {
  private static Document parse(String xml) {
    return SamlXml.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void initializationHappensOnceEvenWhenRacing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ParserPool>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit((Callable<ParserPool>) SamlBootstrap::initialize));
      }
      ParserPool first = results.get(0).get();
      for (Future<ParserPool> f : results) {
        assertThat(f.get()).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void commentsAreDroppedAndTextAndCdataCoalesced() {
    Document d = parse("<a>victim@x.com<!---->.evil.com<![CDATA[.more]]></a>");
    assertThat(d.getDocumentElement().getChildNodes().getLength()).isEqualTo(1);
    assertThat(d.getDocumentElement().getFirstChild().getNodeValue()).isEqualTo("victim@x.com.evil.com.more");
  }

  @Test
  void doctypesAndXIncludeDoNothing() {
    assertThatThrownBy(() -> parse("<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\"><a/>"))
        .isInstanceOf(SamlRejected.class);
    Document d = parse("<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/hostname\" "
        + "parse=\"text\"/></a>");
    assertThat(d.getDocumentElement().getFirstChild().getLocalName()).isEqualTo("include");
  }
}
