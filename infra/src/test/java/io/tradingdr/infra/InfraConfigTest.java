package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.infra.config.ConfigException;
import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.Profile;
import io.tradingdr.infra.config.RegionRole;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration keys: defaults, validation, and messages that name the key and allowed values. */
class InfraConfigTest {

  private static InfraConfig config(String... pairs) {
    Map<String, Object> context = new HashMap<>(Synth.baseContext());
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        context.remove(pairs[i]);
      } else {
        context.put(pairs[i], pairs[i + 1]);
      }
    }
    return InfraConfig.fromContext(context::get);
  }

  @Test
  void synthesis_stops_whenEnvironmentSuffixMissing() {
    assertThatThrownBy(() -> config("environmentSuffix", null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("environmentSuffix: required")
        .hasMessageContaining("a-z, 0-9 and '-'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Prod", "1abc", "abc-", "a_b", "thirteen-char"})
  void synthesis_stops_whenEnvironmentSuffixInvalid(String suffix) {
    assertThatThrownBy(() -> config("environmentSuffix", suffix))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("environmentSuffix: '" + suffix + "' is invalid")
        .hasMessageContaining("1-12 characters");
  }

  @Test
  void unknownProfile_isRefused_listingTheValidOnes() {
    assertThatThrownBy(() -> config("profile", "hot-hot"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "profile: unknown profile 'hot-hot'; allowed values: warm-standby, active-passive,"
                + " serverless-alb, serverless-api, recommended");
  }

  @Test
  void defaults_whenOnlyTheSuffixIsGiven() {
    InfraConfig config = config();
    assertThat(config.profile()).isEqualTo(Profile.RECOMMENDED);
    assertThat(config.domainName()).isEqualTo("trading-test.example.com");
    assertThat(config.applicationHost()).isEqualTo("app.trading-test.example.com");
    assertThat(config.regionalHost(RegionRole.STANDBY))
        .isEqualTo("standby.trading-test.example.com");
    assertThat(config.account()).isEqualTo(InfraConfig.PLACEHOLDER_ACCOUNT);
    assertThat(config.primaryRegion()).isEqualTo("us-east-1");
    assertThat(config.standbyRegion()).isEqualTo("us-east-2");
    assertThat(config.controlRegion()).isEqualTo("us-west-2");
    assertThat(config.destroyable()).isFalse();
  }

  @Test
  void controlRegion_movesToAnotherRegion_whenUsWest2IsInThePair() {
    InfraConfig config = config("profile", "serverless-alb");
    assertThat(config.standbyRegion()).isEqualTo("us-west-2");
    assertThat(config.controlRegion()).isEqualTo("us-east-2");
    assertThat(config.controlRegionDefaulted()).isTrue();
  }

  @Test
  void controlRegion_isRefused_whenItIsOneOfThePair() {
    assertThatThrownBy(() -> config("controlRegion", "us-east-2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("controlRegion: 'us-east-2' is one of the pair")
        .hasMessageContaining("us-west-2");
  }

  @Test
  void regions_areValidated() {
    assertThatThrownBy(() -> config("primaryRegion", "virginia"))
        .hasMessage(
            "primaryRegion: 'virginia' is not a region id; allowed: e.g. us-east-1, us-west-2");
    assertThatThrownBy(() -> config("standbyRegion", "us-east-1"))
        .hasMessageStartingWith("standbyRegion: must differ from primaryRegion (us-east-1)");
  }

  @Test
  void account_domainAndBooleans_areValidated() {
    assertThatThrownBy(() -> config("account", "12345"))
        .hasMessage("account: '12345' is invalid; allowed: a 12-digit AWS account id");
    assertThatThrownBy(() -> config("domainName", "Not A Domain"))
        .hasMessageStartingWith("domainName: 'Not A Domain' is invalid");
    assertThatThrownBy(() -> config("destroyable", "yes"))
        .hasMessage("destroyable: 'yes' is invalid; allowed values: true, false");
  }

  @Test
  void failoverSwitch_isConfigurableOnlyInWarmStandby() {
    assertThat(config("profile", "warm-standby").failoverSwitch()).isFalse();
    assertThat(config("profile", "warm-standby", "failoverSwitch", "true").orchestrator()).isTrue();
    assertThat(config("profile", "active-passive").failoverSwitch()).isTrue();
    assertThatThrownBy(() -> config("profile", "active-passive", "failoverSwitch", "false"))
        .hasMessageStartingWith("failoverSwitch: not configurable in profile active-passive");
  }

  @Test
  void missingJar_namesTheMavenCommandThatBuildsIt() {
    assertThatThrownBy(
            () ->
                config("profile", "warm-standby", "serviceJar", "/nonexistent/trading-service.jar"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("serviceJar: /nonexistent/trading-service.jar does not exist")
        .hasMessageContaining("mvn -pl service -am package -DskipTests");
    assertThatThrownBy(
            () -> config("profile", "serverless-api", "orchestratorJar", "/nonexistent/o.jar"))
        .hasMessageContaining("mvn -pl aws -am package -DskipTests");
  }

  @Test
  void names_carryTheSuffix_andFitTheLimits() {
    Naming trading =
        new Naming(config("profile", "warm-standby", "environmentSuffix", "abcdefghijkl"));
    assertThat(trading.table("sessions")).isEqualTo("trading-sessions-abcdefghijkl");
    assertThat(trading.limited("alb", RegionRole.STANDBY, "us-east-2"))
        .isEqualTo("trading-alb-abcdefghijkl-standby")
        .hasSizeLessThanOrEqualTo(32);
    Naming dr = new Naming(config("profile", "serverless-alb", "environmentSuffix", "production"));
    assertThat(dr.regional("vpc", RegionRole.PRIMARY, "us-east-1"))
        .isEqualTo("dr-vpc-us-east-1-production-primary");
    assertThat(dr.limited("alb", RegionRole.STANDBY, "us-west-2"))
        .isEqualTo("dr-alb-usw2-production-secondary");
  }
}
