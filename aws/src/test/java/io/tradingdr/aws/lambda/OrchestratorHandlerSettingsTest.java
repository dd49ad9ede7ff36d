package io.tradingdr.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.lambda.OrchestratorHandler.Settings;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestratorHandlerSettingsTest {

  private static final List<RegionId> REGIONS =
      List.of(RegionId.of("us-east-1"), RegionId.of("us-east-2"));

  @Test
  void localRegion_defaultsToTheLambdaRegion_andTheReserveTo30s() {
    Settings s =
        Settings.from(
            Map.of("AWS_REGION", "us-east-2", "AWS_LAMBDA_FUNCTION_NAME", "tdr-orch"), REGIONS);

    assertThat(s.local()).isEqualTo(RegionId.of("us-east-2"));
    assertThat(s.stepReserve()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.triggerAlarms()).isEmpty();
    assertThat(s.name()).isEqualTo("tdr-orch");
  }

  @Test
  void explicitSettings_areRead() {
    Settings s =
        Settings.from(
            Map.of(
                "AWS_REGION", "us-east-2",
                "TDR_LOCAL_REGION", "us-east-1",
                "TDR_TRIGGER_ALARMS", "a-down, b-down",
                "TDR_STEP_RESERVE_MS", "45000"),
            REGIONS);

    assertThat(s.local()).isEqualTo(RegionId.of("us-east-1"));
    assertThat(s.triggerAlarms()).containsExactlyInAnyOrder("a-down", "b-down");
    assertThat(s.stepReserve()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aLocalRegionOutsideTheSystem_isRefused_listingTheAllowedOnes() {
    assertThatThrownBy(() -> Settings.from(Map.of("TDR_LOCAL_REGION", "eu-west-1"), REGIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TDR_LOCAL_REGION 'eu-west-1' is not one of the system's regions; allowed: [us-east-1,"
                + " us-east-2]");
  }

  @Test
  void anInvalidReserve_isRefused_namingTheVariable() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of("AWS_REGION", "us-east-2", "TDR_STEP_RESERVE_MS", "half"), REGIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TDR_STEP_RESERVE_MS 'half' is invalid");
  }
}
