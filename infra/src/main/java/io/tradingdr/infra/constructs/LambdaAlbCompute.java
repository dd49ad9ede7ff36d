package io.tradingdr.infra.constructs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.targets.LambdaTarget;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The trading API as a Lambda behind the region's ALB (io.tradingdr.lambda.AlbHandler), java21 with
 * SnapStart on the published alias the target group invokes.
 */
public final class LambdaAlbCompute extends Construct {
  public static final String HANDLER = "io.tradingdr.lambda.AlbHandler::handleRequest";

  private final JavaFunction function;
  private final ApplicationTargetGroup targetGroup;

  /** Properties of the function and its target group. */
  public record Props(
      String functionName,
      String targetGroupName,
      Path jar,
      int memoryMb,
      int reservedConcurrency,
      Map<String, String> environment,
      List<PolicyStatement> statements,
      List<String> allowedRegions,
      PublicAlb alb,
      IKey key,
      String region,
      String account,
      boolean destroyable) {}

  public LambdaAlbCompute(Construct scope, String id, Props props) {
    super(scope, id);
    this.function =
        new JavaFunction(
            this,
            "Api",
            new JavaFunction.Props(
                props.functionName(),
                HANDLER,
                props.jar(),
                props.memoryMb(),
                30,
                props.reservedConcurrency(),
                true,
                props.environment(),
                props.statements(),
                props.allowedRegions(),
                null,
                null,
                null,
                props.key(),
                props.region(),
                props.account(),
                props.destroyable()));
    this.targetGroup =
        props
            .alb()
            .httpsListener()
            .addTargets(
                "Function",
                AddApplicationTargetsProps.builder()
                    .targetGroupName(props.targetGroupName())
                    .targets(List.of(new LambdaTarget(function.alias())))
                    .healthCheck(
                        HealthCheck.builder()
                            .enabled(true)
                            .path("/health")
                            .interval(Duration.seconds(35))
                            .timeout(Duration.seconds(30))
                            .build())
                    .build());
  }

  public JavaFunction function() {
    return function;
  }

  public ApplicationTargetGroup targetGroup() {
    return targetGroup;
  }
}
