package io.tradingdr.aws.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwsClientSettingsTest {

  @Test
  void builder_hasTheDocumentedDefaults() {
    AwsClientSettings settings = AwsClientSettings.builder("us-east-2").build();

    assertThat(settings.maxAttempts()).isEqualTo(4);
    assertThat(settings.baseDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.apiCallAttemptTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.apiCallTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.endpointOverride()).isEmpty();
  }

  @Test
  void builder_refusesAnInvalidRegion_namingTheAllowedForm() {
    assertThatThrownBy(() -> AwsClientSettings.builder("east").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region 'east' is invalid: use an AWS region code such as us-east-1");
  }

  @Test
  void builder_refusesTooManyAttempts() {
    assertThatThrownBy(() -> AwsClientSettings.builder("us-east-1").maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts must be between 1 and 10");
  }

  @Test
  void builder_refusesANonHttpEndpoint() {
    assertThatThrownBy(
            () ->
                AwsClientSettings.builder("us-east-1")
                    .endpointOverride(URI.create("ftp://127.0.0.1"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use an http or https URL");
  }

  @Test
  void inRegion_keepsEverythingButTheRegion() {
    AwsClientSettings east =
        AwsClientSettings.builder("us-east-1")
            .endpointOverride(URI.create("http://127.0.0.1:8000"))
            .maxAttempts(2)
            .build();

    AwsClientSettings west = east.inRegion("us-east-2");

    assertThat(west.region().id()).isEqualTo("us-east-2");
    assertThat(west.endpointOverride()).isEqualTo(east.endpointOverride());
    assertThat(west.maxAttempts()).isEqualTo(2);
  }
}
