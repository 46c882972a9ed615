import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { TABLE_SCHEMA } from "../../shared/constants.js";

/** Options of {@link DataStores}. */
export interface DataStoresProps {
  /** Keep the table when the stack is deleted, and refuse to delete it by accident (production). */
  readonly retainTable: boolean;
}

/**
 * The data: one DynamoDB table (TABLE_SCHEMA: on-demand, point-in-time recovery, TTL, the byCount GSI with a
 * Number sort key) and one S3 bucket for the ratings input and the training reports (encrypted, versioned,
 * private, TLS only, access-logged into a second bucket). Both buckets outlive the stack: they hold data.
 */
export class DataStores extends Construct {
  readonly table: Table;
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataStoresProps) {
    super(scope, id);
    const { partitionKey, sortKey, countIndex, ttlAttribute } = TABLE_SCHEMA;

    this.table = new Table(this, "Table", {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttlAttribute,
      deletionProtection: props.retainTable,
      removalPolicy: props.retainTable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: countIndex.name,
      partitionKey: { name: countIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: countIndex.sortKey, type: AttributeType.NUMBER },
      projectionType: ProjectionType[countIndex.projection],
      nonKeyAttributes: [...countIndex.nonKeyAttributes],
    });

    this.accessLogBucket = new Bucket(this, "AccessLogBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This is the access-log bucket itself; logging it into itself would log its own log deliveries.",
    });

    this.bucket = new Bucket(this, "DataBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: "data-bucket/",
      lifecycleRules: [
        // A model's provenance names the ratings version it was trained from: keep old versions a while.
        { noncurrentVersionExpiration: Duration.days(90) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
