package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/** A regional WAF web ACL with AWS managed rule groups, associated with one ALB or API stage. */
public final class WebFirewall extends Construct {

  public WebFirewall(Construct scope, String id, String name, String resourceArn) {
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
              .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(java.util.Map.of()).build())
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
