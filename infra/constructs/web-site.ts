import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { buildSync } from "esbuild";
import { ROUTES } from "../../shared/constants.js";

/** Props of {@link WebSite}. */
export interface WebSiteProps {
  /** The HTTP API's domain (`<id>.execute-api.<region>.amazonaws.com`), served under the API's paths. */
  readonly apiDomain: string;
  /** Bucket for CloudFront's and the site bucket's access logs. */
  readonly logBucket: IBucket;
  /** Hosted-UI sign-in for the page (authorization code with PKCE); null: the page has no sign-in. */
  readonly auth: { readonly domain: string; readonly clientId: string } | null;
}

const WEB_DIR = path.resolve(import.meta.dirname, "../../web");

/** Bundles web/ into a fresh directory, as the local server does in memory (local/web-site.ts). */
function buildWebFiles(): string {
  const out = mkdtempSync(path.join(tmpdir(), "cinecluster-web-"));
  buildSync({
    entryPoints: [path.join(WEB_DIR, "app.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    outfile: path.join(out, "app.js"),
    legalComments: "none",
  });
  writeFileSync(path.join(out, "index.html"), readFileSync(path.join(WEB_DIR, "index.html")));
  writeFileSync(path.join(out, "app.css"), readFileSync(path.join(WEB_DIR, "app.css")));
  return out;
}

/** The API's path patterns for CloudFront: each first path segment of ROUTES, bare and with a rest. */
export function apiPathPatterns(): string[] {
  const segments = [...new Set(ROUTES.map((route) => route.path.split("/")[1]!))].sort();
  return segments.flatMap((segment) => [`/${segment}`, `/${segment}/*`]);
}

/**
 * The web page in AWS: its files in a private bucket that only CloudFront reads (origin access control), and
 * the HTTP API behind the same distribution under its own paths, so the page calls the API on its own
 * origin and needs no CORS. /config.json tells the page how to sign in (Cognito's hosted UI with PKCE).
 */
export class WebSite extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: "web-bucket/",
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const api = new HttpOrigin(props.apiDomain);
    const apiBehavior: BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new Distribution(this, "Distribution", {
      comment: "cinecluster web page and API",
      defaultRootObject: "index.html",
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: "cloudfront/",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehavior])),
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const files = new BucketDeployment(this, "Files", {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      sources: [
        Source.asset(buildWebFiles()),
        Source.jsonData("config.json", {
          auth: props.auth
            ? {
                mode: "hosted",
                domain: props.auth.domain,
                clientId: props.auth.clientId,
                redirectUri: `${this.url}/`,
              }
            : null,
        }),
      ],
      memoryLimit: 256,
      retainOnDelete: false,
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason: "A movie catalogue for everyone: no geographic restriction is wanted.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "Per-client rate limits sit on the API (stage throttling and the sign-in WAF); see docs/auth.md.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The default *.cloudfront.net certificate; a custom domain with TLSv1.2_2021 is a deploy choice.",
      },
    );
    // CDK's own BucketDeployment custom resource: its role is CDK's, scoped by CDK to the asset bucket and
    // this site bucket; each finding is acknowledged by its exact id, nothing wider.
    const role = "CDK's BucketDeployment custom resource (copies the page's files into the site bucket)";
    Validations.of(files.handlerRole).acknowledge(
      {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason: `${role} logs through AWSLambdaBasicExecutionRole.`,
      },
      ...[
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Resource::*",
        `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
      ].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: `${role} needs CDK's object-level wildcards on the asset and site buckets.`,
      })),
    );
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (handler) {
      Validations.of(handler).acknowledge({ id: "AwsSolutions-L1", reason: `${role} pins its own runtime.` });
    }
  }
}
