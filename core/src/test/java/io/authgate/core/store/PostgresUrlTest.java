package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void aUrlItCannotReadIsNotQuotedInTheError() {
    assertThatThrownBy(() -> Postgres.connectOptions("postgresql://authgate:hunter2@db:99999/authgate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .message().startsWith("cannot read the PostgreSQL URL").doesNotContain("hunter2");
  }

  @Test
  void bothSchemesAreRead() {
    assertThat(Postgres.connectOptions("postgres://authgate:pw@db:5433/store").getPort()).isEqualTo(5433);
    assertThat(Postgres.connectOptions("postgresql://authgate:pw@db/store").getDatabase()).isEqualTo("store");
  }
}
