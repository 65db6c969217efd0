package io.authgate.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.identity.Credentials;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectoryRouterTest {
  /** A directory that is only a name and domains: routing never calls it. */
  private record Named(DirectoryConfig config) implements Directory {
    @Override
    public Future<BindOutcome> authenticate(Credentials credentials, BindGate gate) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Long> probe() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private static Directory directory(String name, String... domains) {
    return new Named(ConfigLoader.directory(Map.of("name", name, "urls", List.of("ldap://" + name),
        "baseDn", "dc=" + name, "emailDomains", List.of(domains))));
  }

  private final Directory corp = directory("corp", "corp.example", "corp.example.net");
  private final Directory partners = directory("partners", "partner.example");
  private final DirectoryRouter router = new DirectoryRouter(List.of(corp, partners), "corp");

  @Test
  void anEmailDomainOrUpnSuffixPicksItsDirectoryIgnoringCase() {
    assertThat(router.route("jane@Partner.Example")).isSameAs(partners);
    assertThat(router.route("john@corp.example.net")).isSameAs(corp);
  }

  @Test
  void anythingElseGoesToTheDefault() {
    assertThat(router.route("jane")).isSameAs(corp);
    assertThat(router.route("jane@unknown.example")).isSameAs(corp);
    assertThat(router.route("trailing@")).isSameAs(corp);
    assertThat(new DirectoryRouter(List.of(partners, corp), "").route("x")).isSameAs(partners);
  }

  @Test
  void aRealmNamesADirectory() {
    assertThat(router.byRealm("PARTNERS")).contains(partners);
    assertThat(router.byRealm("nope")).isEmpty();
  }
}
