package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.ProfileSpec.BucketSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NoncurrentVersionTransition;
import software.amazon.awscdk.services.s3.ReplicationRule;
import software.amazon.awscdk.services.s3.ReplicationTimeValue;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * Versioned, KMS-encrypted, TLS-only buckets. In the standby base stack: the replica buckets. In
 * the primary stack: the source buckets, each replicating to its replica with Replication Time
 * Control (15 minutes) and replication metrics, through a role with explicit actions only.
 */
public final class ReplicatedBuckets extends Construct {
  private final Map<String, Bucket> buckets = new LinkedHashMap<>();

  /** Where the replicas live: names and the key that encrypts them. */
  public record Replica(Map<String, String> bucketNames, String region, String keyArn) {}

  /** Properties of the bucket set. */
  public record Props(
      List<BucketSpec> specs,
      Map<String, String> bucketNames,
      IKey key,
      IBucket accessLogs,
      Replica replicaOf,
      String roleName,
      List<String> allowedRegions,
      boolean destroyable) {}

  public ReplicatedBuckets(Construct scope, String id, Props props) {
    super(scope, id);
    Role replicationRole = null;
    List<PolicyStatement> statements = new ArrayList<>();
    IKey replicaKey = null;
    if (props.replicaOf() != null) {
      replicationRole =
          Role.Builder.create(this, "ReplicationRole")
              .roleName(props.roleName())
              .assumedBy(new ServicePrincipal("s3.amazonaws.com"))
              .description("S3 cross-region replication of the Trading DR buckets")
              .build();
      replicaKey = Key.fromKeyArn(this, "ReplicaKey", props.replicaOf().keyArn());
    }
    for (BucketSpec spec : props.specs()) {
      String name = props.bucketNames().get(spec.purpose());
      List<LifecycleRule> lifecycle = new ArrayList<>();
      if (spec.archiveAfterDays() > 0) {
        lifecycle.add(
            LifecycleRule.builder()
                .id("archive-after-" + spec.archiveAfterDays() + "-days")
                .transitions(
                    List.of(
                        Transition.builder()
                            .storageClass(StorageClass.GLACIER)
                            .transitionAfter(Duration.days(spec.archiveAfterDays()))
                            .build()))
                .noncurrentVersionTransitions(
                    List.of(
                        NoncurrentVersionTransition.builder()
                            .storageClass(StorageClass.GLACIER)
                            .transitionAfter(Duration.days(spec.archiveAfterDays()))
                            .build()))
                .build());
      }
      Bucket.Builder builder =
          Bucket.Builder.create(this, "Bucket-" + spec.purpose())
              .bucketName(name)
              .versioned(true)
              .encryption(BucketEncryption.KMS)
              .encryptionKey(props.key())
              .bucketKeyEnabled(true)
              .enforceSsl(true)
              .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
              .serverAccessLogsBucket(props.accessLogs())
              .serverAccessLogsPrefix("s3/" + name + "/")
              .lifecycleRules(lifecycle)
              .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
              .autoDeleteObjects(props.destroyable());
      if (props.replicaOf() != null) {
        String replicaName = props.replicaOf().bucketNames().get(spec.purpose());
        builder
            .replicationRole(replicationRole.withoutPolicyUpdates())
            .replicationRules(
                List.of(
                    ReplicationRule.builder()
                        .id("to-" + props.replicaOf().region())
                        .priority(0)
                        .destination(
                            Bucket.fromBucketName(this, "Replica-" + spec.purpose(), replicaName))
                        .replicationTimeControl(ReplicationTimeValue.FIFTEEN_MINUTES)
                        .metrics(ReplicationTimeValue.FIFTEEN_MINUTES)
                        .kmsKey(replicaKey)
                        .sseKmsEncryptedObjects(true)
                        .deleteMarkerReplication(true)
                        .build()));
        String source = "arn:aws:s3:::" + name;
        String replica = "arn:aws:s3:::" + replicaName;
        statements.add(
            Iam.allow(List.of("s3:GetReplicationConfiguration", "s3:ListBucket"), List.of(source)));
        statements.add(
            Iam.allow(
                List.of(
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging"),
                List.of(source + "/*")));
        statements.add(
            Iam.allow(
                List.of("s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"),
                List.of(replica + "/*")));
      }
      Bucket bucket = builder.build();
      if (props.replicaOf() == null) {
        Nag.suppress(
            bucket,
            "Bucket "
                + name
                + " is the replication destination in the standby region; replicating it again"
                + " would only copy the copy.",
            "PCI.DSS.321-S3BucketReplicationEnabled");
      }
      buckets.put(spec.purpose(), bucket);
    }
    AccessLogBucket.explainAutoDelete(this);
    if (replicationRole != null) {
      statements.add(Iam.allow(List.of("kms:Decrypt"), List.of(props.key().getKeyArn())));
      statements.add(Iam.allow(List.of("kms:Encrypt"), List.of(props.replicaOf().keyArn())));
      Iam.policy(
          this,
          "ReplicationPolicy",
          props.roleName(),
          replicationRole,
          statements,
          props.allowedRegions());
      Nag.suppressApplying(
          this,
          "S3 replication reads and writes object versions of exactly these buckets; object keys"
              + " are not known in advance.",
          List.of(Nag.regex("^Resource::arn:aws:s3:::.*/\\*$")),
          "AwsSolutions-IAM5");
    }
  }

  public Map<String, Bucket> buckets() {
    return buckets;
  }
}
