package io.tradingdr.infra.constructs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.BasePathMappingOptions;
import software.amazon.awscdk.services.apigateway.DomainName;
import software.amazon.awscdk.services.apigateway.DomainNameOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.SecurityPolicy;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The serverless trading API: a regional REST API (stage prod, access and execution logs, WAF) with
 * Lambda proxy integrations for /health, /health/ready, /orders and /orders/{id}
 * (io.tradingdr.lambda.ApiGatewayHandler), an order queue (fed by order gateways, output {@code
 * <role>OrderQueueUrl}) processed by io.tradingdr.lambda.SqsOrderHandler, both in the VPC next to
 * Aurora, and custom domains for the application name and the region's own name.
 */
public final class ApiCompute extends Construct {
  public static final String STAGE = "prod";
  public static final String API_HANDLER = "io.tradingdr.lambda.ApiGatewayHandler::handleRequest";
  public static final String SQS_HANDLER = "io.tradingdr.lambda.SqsOrderHandler::handleRequest";

  private final RestApi api;
  private final JavaFunction apiFunction;
  private final JavaFunction orderFunction;
  private final Queue queue;
  private final DomainName regionalDomain;

  /** Properties of the API. */
  public record Props(
      String name,
      String ordersName,
      Path jar,
      int memoryMb,
      int reservedConcurrency,
      Map<String, String> environment,
      List<PolicyStatement> statements,
      List<String> allowedRegions,
      IVpc vpc,
      SubnetSelection subnets,
      AuroraDatabase database,
      IHostedZone zone,
      String applicationHost,
      String regionalHost,
      IKey key,
      String region,
      String account,
      boolean destroyable) {}

  public ApiCompute(Construct scope, String id, Props props) {
    super(scope, id);
    Queue orderDlq =
        Queue.Builder.create(this, "OrderDeadLetters")
            .queueName(props.ordersName() + "-dlq")
            .encryption(QueueEncryption.KMS)
            .encryptionMasterKey(props.key())
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    Nag.suppress(
        orderDlq,
        "Queue " + props.ordersName() + "-dlq is the dead-letter queue of the order queue.",
        "AwsSolutions-SQS3");
    this.queue =
        Queue.Builder.create(this, "Orders")
            .queueName(props.ordersName())
            .encryption(QueueEncryption.KMS)
            .encryptionMasterKey(props.key())
            .enforceSsl(true)
            .visibilityTimeout(Duration.seconds(180))
            .deadLetterQueue(DeadLetterQueue.builder().queue(orderDlq).maxReceiveCount(5).build())
            .build();

    SecurityGroup functions =
        SecurityGroup.Builder.create(this, "FunctionSecurityGroup")
            .vpc(props.vpc())
            .description("Trading API functions " + props.name())
            .allowAllOutbound(true)
            .build();
    if (props.database() != null) {
      props
          .database()
          .securityGroup()
          .addIngressRule(functions, Port.tcp(props.database().port()), "Trading API functions");
    }

    this.apiFunction =
        new JavaFunction(
            this,
            "ApiFunction",
            new JavaFunction.Props(
                props.name(),
                API_HANDLER,
                props.jar(),
                props.memoryMb(),
                29,
                props.reservedConcurrency(),
                true,
                props.environment(),
                props.statements(),
                props.allowedRegions(),
                props.vpc(),
                props.subnets(),
                functions,
                props.key(),
                props.region(),
                props.account(),
                props.destroyable()));
    List<PolicyStatement> orderStatements = new ArrayList<>(props.statements());
    orderStatements.add(
        Iam.allow(
            List.of(
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes"),
            List.of(queue.getQueueArn())));
    this.orderFunction =
        new JavaFunction(
            this,
            "OrderProcessor",
            new JavaFunction.Props(
                props.ordersName(),
                SQS_HANDLER,
                props.jar(),
                props.memoryMb(),
                60,
                props.reservedConcurrency(),
                true,
                props.environment(),
                orderStatements,
                props.allowedRegions(),
                props.vpc(),
                props.subnets(),
                functions,
                props.key(),
                props.region(),
                props.account(),
                props.destroyable()));
    orderFunction
        .alias()
        .addEventSource(
            SqsEventSource.Builder.create(queue)
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());

    LogGroup accessLogs =
        LogGroup.Builder.create(this, "AccessLogs")
            .logGroupName("/trading-dr/api/" + props.name())
            .encryptionKey(props.key())
            .retention(RetentionDays.ONE_YEAR)
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
    this.api =
        RestApi.Builder.create(this, "Api")
            .restApiName(props.name())
            .description("Trading API " + props.name())
            .endpointTypes(List.of(EndpointType.REGIONAL))
            .cloudWatchRole(true)
            .deployOptions(
                StageOptions.builder()
                    .stageName(STAGE)
                    .accessLogDestination(new LogGroupLogDestination(accessLogs))
                    .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                    .loggingLevel(MethodLoggingLevel.INFO)
                    .tracingEnabled(true)
                    .metricsEnabled(true)
                    .build())
            .build();
    // The stack names its own output (primaryApiEndpoint / standbyApiEndpoint).
    api.getNode().tryRemoveChild("Endpoint");
    RequestValidator validator =
        api.addRequestValidator(
            "Validator",
            RequestValidatorOptions.builder()
                .requestValidatorName(props.name() + "-validator")
                .validateRequestBody(true)
                .validateRequestParameters(true)
                .build());
    LambdaIntegration integration = new LambdaIntegration(apiFunction.alias());
    MethodOptions anonymous = MethodOptions.builder().requestValidator(validator).build();
    // Order entry is for machine clients (order gateways) that sign with SigV4.
    MethodOptions signed =
        MethodOptions.builder()
            .requestValidator(validator)
            .authorizationType(AuthorizationType.IAM)
            .build();
    Resource health = api.getRoot().addResource("health");
    Method healthGet = health.addMethod("GET", integration, anonymous);
    Method readyGet = health.addResource("ready").addMethod("GET", integration, anonymous);
    Resource orders = api.getRoot().addResource("orders");
    Method ordersPost = orders.addMethod("POST", integration, signed);
    Method orderGet = orders.addResource("{id}").addMethod("GET", integration, signed);
    for (Method probe : List.of(healthGet, readyGet)) {
      Nag.suppress(
          probe,
          "GET "
              + probe.getResource().getPath()
              + " of "
              + props.name()
              + " is probed anonymously by Route 53 health checkers and the canaries; it returns"
              + " status only.",
          "AwsSolutions-APIG4",
          "AwsSolutions-COG4");
    }
    for (Method order : List.of(ordersPost, orderGet)) {
      Nag.suppress(
          order,
          order.getHttpMethod()
              + " "
              + order.getResource().getPath()
              + " of "
              + props.name()
              + " uses IAM (SigV4) authorization for machine clients; there are no human users"
              + " for a Cognito pool.",
          "AwsSolutions-COG4");
    }
    Nag.suppress(
        api.getNode().findChild("CloudWatchRole"),
        "API Gateway's account-level logging role for "
            + props.name()
            + " uses the AWS service-role policy that API Gateway documents for pushing logs.",
        "AwsSolutions-IAM4");
    Nag.suppress(
        api.getDeploymentStage(),
        "Stage "
            + STAGE
            + " of "
            + props.name()
            + ": order reads must never come from a cache, and the Lambda proxy backend takes no"
            + " client certificate (only HTTP backends do).",
        "PCI.DSS.321-APIGWCacheEnabledAndEncrypted",
        "PCI.DSS.321-APIGWSSLEnabled");

    Certificate certificate =
        Certificate.Builder.create(this, "Certificate")
            .domainName(props.applicationHost())
            .subjectAlternativeNames(List.of(props.regionalHost()))
            .validation(CertificateValidation.fromDns(props.zone()))
            .build();
    DomainName application =
        api.addDomainName(
            "ApplicationDomain",
            DomainNameOptions.builder()
                .domainName(props.applicationHost())
                .certificate(certificate)
                .endpointType(EndpointType.REGIONAL)
                .securityPolicy(SecurityPolicy.TLS_1_2)
                .build());
    this.regionalDomain =
        DomainName.Builder.create(this, "RegionalDomain")
            .domainName(props.regionalHost())
            .certificate(certificate)
            .endpointType(EndpointType.REGIONAL)
            .securityPolicy(SecurityPolicy.TLS_1_2)
            .build();
    regionalDomain.addBasePathMapping(api, BasePathMappingOptions.builder().build());
    WebFirewall waf =
        new WebFirewall(
            this,
            "Waf",
            props.name() + "-waf",
            "arn:aws:apigateway:"
                + props.region()
                + "::/restapis/"
                + api.getRestApiId()
                + "/stages/"
                + STAGE,
            props.key());
    waf.getNode().addDependency(api.getDeploymentStage());
    application.getNode().addDependency(certificate);
  }

  public RestApi api() {
    return api;
  }

  public JavaFunction apiFunction() {
    return apiFunction;
  }

  public JavaFunction orderFunction() {
    return orderFunction;
  }

  public Queue queue() {
    return queue;
  }

  public DomainName regionalDomain() {
    return regionalDomain;
  }
}
