package io.tradingdr.infra.constructs;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The region's endpoints in SSM Parameter Store. String parameters: the values (URLs and DNS names)
 * are public, and CloudFormation cannot create SecureString parameters; secrets go to Secrets
 * Manager instead.
 */
public final class EndpointParameters extends Construct {

  public EndpointParameters(Construct scope, String id, String prefix, Map<String, String> values) {
    super(scope, id);
    new TreeMap<>(values)
        .forEach(
            (name, value) ->
                StringParameter.Builder.create(this, name)
                    .parameterName(prefix + "/" + name)
                    .stringValue(value)
                    .tier(ParameterTier.STANDARD)
                    .description("Trading DR endpoint " + name)
                    .build());
  }
}
