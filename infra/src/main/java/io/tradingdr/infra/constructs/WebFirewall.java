package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfiguration;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/** A regional WAF web ACL with AWS managed rule groups, associated with one ALB or API stage. */
public final class WebFirewall extends Construct {

  public WebFirewall(Construct scope, String id, String name, String resourceArn, IKey logKey) {
    super(scope, id);
    List<Object> rules = new ArrayList<>();
    int priority = 0;
    for (String group :
        List.of(
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesAmazonIpReputationList")) {
      rules.add(
          CfnWebACL.RuleProperty.builder()
              .name(group)
              .priority(priority++)
              .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
              .statement(
                  CfnWebACL.StatementProperty.builder()
                      .managedRuleGroupStatement(
                          CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                              .vendorName("AWS")
                              .name(group)
                              .build())
                      .build())
              .visibilityConfig(visibility(name + "-" + group))
              .build());
    }
    CfnWebACL acl =
        CfnWebACL.Builder.create(this, "Acl")
            .name(name)
            .scope("REGIONAL")
            .defaultAction(
                CfnWebACL.DefaultActionProperty.builder()
                    .allow(CfnWebACL.AllowActionProperty.builder().build())
                    .build())
            .visibilityConfig(visibility(name))
            .rules(rules)
            .build();
    // WAF requires the log group name to start with aws-waf-logs-.
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .logGroupName("aws-waf-logs-" + name)
            .encryptionKey(logKey)
            .retention(RetentionDays.ONE_YEAR)
            .build();
    Stack stack = Stack.of(this);
    // WAF wants the log group ARN without the ":*" suffix CloudFormation returns.
    CfnLoggingConfiguration logging =
        CfnLoggingConfiguration.Builder.create(this, "Logging")
            .resourceArn(acl.getAttrArn())
            .logDestinationConfigs(
                List.of(
                    "arn:aws:logs:"
                        + stack.getRegion()
                        + ":"
                        + stack.getAccount()
                        + ":log-group:aws-waf-logs-"
                        + name))
            .build();
    logging.getNode().addDependency(logs);
    CfnWebACLAssociation.Builder.create(this, "Association")
        .resourceArn(resourceArn)
        .webAclArn(acl.getAttrArn())
        .build();
  }

  private static CfnWebACL.VisibilityConfigProperty visibility(String metricName) {
    return CfnWebACL.VisibilityConfigProperty.builder()
        .cloudWatchMetricsEnabled(true)
        .sampledRequestsEnabled(true)
        .metricName(metricName)
        .build();
  }
}
