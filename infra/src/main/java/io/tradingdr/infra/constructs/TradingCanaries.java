package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.RegionRole;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.synthetics.ArtifactsBucketLocation;
import software.amazon.awscdk.services.synthetics.Canary;
import software.amazon.awscdk.services.synthetics.Code;
import software.amazon.awscdk.services.synthetics.CustomTestOptions;
import software.amazon.awscdk.services.synthetics.Runtime;
import software.amazon.awscdk.services.synthetics.Schedule;
import software.amazon.awscdk.services.synthetics.Test;
import software.constructs.Construct;

/**
 * CloudWatch Synthetics canaries on the region's /health and /orders, every few minutes, with
 * artifacts in the region's log bucket and active X-Ray tracing. Inline code: no bundling.
 */
public final class TradingCanaries extends Construct {

  /** Properties of the canaries. */
  public record Props(
      Naming naming,
      RegionRole role,
      String baseUrl,
      int rateMinutes,
      IBucket artifacts,
      IKey key,
      String region,
      String account,
      boolean destroyable) {}

  public TradingCanaries(Construct scope, String id, Props props) {
    super(scope, id);
    for (Map.Entry<String, String> check :
        Map.of("health", "/health", "orders", "/orders/canary-probe").entrySet()) {
      // Canary names: at most 21 characters, lower case.
      String name =
          ("tdr-"
              + check.getKey()
              + "-"
              + props.role().word().charAt(0)
              + "-"
              + props.naming().suffix());
      name = name.length() > 21 ? name.substring(0, 21) : name;
      Role role =
          Role.Builder.create(this, "Role-" + check.getKey())
              .roleName(
                  props.naming().regional("canary-" + check.getKey(), props.role(), props.region()))
              .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
              .description("Synthetics canary " + name)
              .build();
      String prefix = "canary/" + name;
      Iam.policy(
          this,
          "Policy-" + check.getKey(),
          props.naming().regional("canary-" + check.getKey(), props.role(), props.region()),
          role,
          List.of(
              Iam.allow(
                  List.of("s3:PutObject"),
                  List.of(props.artifacts().getBucketArn() + "/" + prefix + "/*")),
              Iam.allow(List.of("s3:GetBucketLocation"), List.of(props.artifacts().getBucketArn())),
              Iam.allow(
                  List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                  List.of(
                      "arn:aws:logs:"
                          + props.region()
                          + ":"
                          + props.account()
                          + ":log-group:/aws/lambda/cwsyn-"
                          + name
                          + "-*")),
              Iam.allow(
                  List.of("cloudwatch:PutMetricData"),
                  List.of("*"),
                  Map.of("StringEquals", Map.of("cloudwatch:namespace", "CloudWatchSynthetics"))),
              Iam.allow(List.of("xray:PutTraceSegments"), List.of("*")),
              Iam.allow(List.of("s3:ListAllMyBuckets"), List.of("*"))),
          List.of());
      Nag.suppressApplying(
          this,
          "Canary "
              + name
              + ": artifact keys and log groups carry generated run ids under the canary's own"
              + " prefix; PutMetricData (CloudWatchSynthetics namespace only), X-Ray"
              + " PutTraceSegments and s3:ListAllMyBuckets have no resource-level permissions.",
          List.of(
              "Resource::*",
              Nag.regex("^Resource::.*canary/.*\\*$"),
              Nag.regex("^Resource::arn:aws:logs:.*cwsyn-.*\\*$")),
          "AwsSolutions-IAM5");
      Canary.Builder.create(this, "Canary-" + check.getKey())
          .canaryName(name)
          .runtime(Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1)
          .schedule(Schedule.rate(Duration.minutes(props.rateMinutes())))
          .role(role)
          .activeTracing(true)
          .artifactsBucketLocation(
              ArtifactsBucketLocation.builder().bucket(props.artifacts()).prefix(prefix).build())
          .test(
              Test.custom(
                  CustomTestOptions.builder()
                      .handler("index.handler")
                      .code(Code.fromInline(script(props.baseUrl() + check.getValue())))
                      .build()))
          .build();
    }
  }

  /**
   * A GET that passes on any answer below 500: /orders requires SigV4, so its 403 still proves the
   * API and its authorizer answer, while a 5xx or a connection error fails the canary.
   */
  private static String script(String url) {
    return String.join(
        "\n",
        "const synthetics = require('Synthetics');",
        "const https = require('https');",
        "exports.handler = async () => {",
        "  await synthetics.executeStep('get', () => new Promise((resolve, reject) => {",
        "    https.get('" + url + "', (res) => {",
        "      res.resume();",
        "      res.statusCode < 500 ? resolve() : reject(new Error('status ' + res.statusCode));",
        "    }).on('error', reject);",
        "  }));",
        "};");
  }
}
