package io.tradingdr.infra.constructs;

import java.util.List;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The region's internet-facing ALB: TLS with an ACM certificate validated in the hosted zone, HTTP
 * redirected to HTTPS, access logs, invalid headers dropped, WAF in front. Only 80 and 443 are
 * open.
 */
public final class PublicAlb extends Construct {
  private final ApplicationLoadBalancer alb;
  private final ApplicationListener https;
  private final SecurityGroup securityGroup;

  /** Properties of the load balancer. */
  public record Props(
      String name,
      IVpc vpc,
      IHostedZone zone,
      String applicationHost,
      String regionalHost,
      IBucket logBucket,
      String wafName,
      IKey logKey) {}

  public PublicAlb(Construct scope, String id, Props props) {
    super(scope, id);
    this.securityGroup =
        SecurityGroup.Builder.create(this, "SecurityGroup")
            .vpc(props.vpc())
            .description("ALB " + props.name() + ": HTTP and HTTPS from clients")
            .allowAllOutbound(false)
            .build();
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS from clients");
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP, redirected to HTTPS");
    Nag.suppress(
        securityGroup,
        "ALB "
            + props.name()
            + " is the public entry point of the trading API; only 80 (redirect) and 443 are open.",
        "AwsSolutions-EC23",
        "PCI.DSS.321-RestrictedCommonPorts");

    this.alb =
        ApplicationLoadBalancer.Builder.create(this, "Alb")
            .loadBalancerName(props.name())
            .vpc(props.vpc())
            .internetFacing(true)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .securityGroup(securityGroup)
            .dropInvalidHeaderFields(true)
            .deletionProtection(false)
            .build();
    alb.logAccessLogs(props.logBucket(), "alb/" + props.name());

    Certificate certificate =
        Certificate.Builder.create(this, "Certificate")
            .domainName(props.applicationHost())
            .subjectAlternativeNames(List.of(props.regionalHost()))
            .validation(CertificateValidation.fromDns(props.zone()))
            .build();
    this.https =
        alb.addListener(
            "Https",
            BaseApplicationListenerProps.builder()
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .open(false)
                .build());
    alb.addRedirect(
        ApplicationLoadBalancerRedirectConfig.builder()
            .sourcePort(80)
            .sourceProtocol(ApplicationProtocol.HTTP)
            .targetPort(443)
            .targetProtocol(ApplicationProtocol.HTTPS)
            .open(false)
            .build());
    Nag.suppress(
        alb.getNode().findChild("Redirect80To443"),
        "Listener 80 of "
            + props.name()
            + " only answers with a redirect to HTTPS 443, which uses the ACM certificate.",
        "PCI.DSS.321-ELBv2ACMCertificateRequired");
    new WebFirewall(this, "Waf", props.wafName(), alb.getLoadBalancerArn(), props.logKey());
  }

  public ApplicationLoadBalancer alb() {
    return alb;
  }

  public ApplicationListener httpsListener() {
    return https;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
