package io.tradingdr.infra.constructs;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The region's log bucket: ALB access logs (prefix alb/) and S3 server access logs (prefix s3/).
 * SSE-S3, because ELB log delivery cannot write to SSE-KMS buckets.
 */
public final class AccessLogBucket extends Construct {
  private final Bucket bucket;

  public AccessLogBucket(Construct scope, String id, String bucketName, boolean destroyable) {
    super(scope, id);
    this.bucket =
        Bucket.Builder.create(this, "Bucket")
            .bucketName(bucketName)
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
            .versioned(true)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-logs")
                        .expiration(Duration.days(365))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
            .removalPolicy(destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .autoDeleteObjects(destroyable)
            .build();
    Nag.suppress(
        bucket,
        "Bucket "
            + bucketName
            + " is itself the access-log destination; logging it into itself would loop.",
        "AwsSolutions-S1",
        "PCI.DSS.321-S3BucketLoggingEnabled");
    Nag.suppress(
        bucket,
        "Bucket "
            + bucketName
            + " receives ALB access logs, which ELB delivers only to SSE-S3 buckets.",
        "PCI.DSS.321-S3DefaultEncryptionKMS");
    Nag.suppress(
        bucket,
        "Bucket "
            + bucketName
            + " holds this region's access logs only; the other region keeps its own.",
        "PCI.DSS.321-S3BucketReplicationEnabled");
    explainAutoDelete(this);
  }

  /**
   * Explains the stack's auto-delete provider, which CDK adds for buckets of a destroyable
   * environment (it empties them so the stack can be deleted).
   */
  static void explainAutoDelete(Construct scope) {
    IConstruct provider =
        Stack.of(scope).getNode().tryFindChild("Custom::S3AutoDeleteObjectsCustomResourceProvider");
    if (provider != null) {
      Nag.suppress(
          provider,
          "CDK's bucket auto-delete provider exists only with destroyable=true (test"
              + " environments); it empties this stack's buckets on stack deletion.",
          "AwsSolutions-IAM4",
          "AwsSolutions-IAM5",
          "AwsSolutions-L1",
          "PCI.DSS.321-IAMNoInlinePolicy",
          "PCI.DSS.321-LambdaConcurrency",
          "PCI.DSS.321-LambdaDLQ",
          "PCI.DSS.321-LambdaInsideVPC");
    }
  }

  public Bucket bucket() {
    return bucket;
  }
}
