import { describe, expect, it } from "vitest";
import { apiPathPatterns } from "../../infra/constructs/web-site.js";
import { ROUTES } from "../../shared/constants.js";
import { idOf, resourcesOfType, synthOncePerFile, synthStack } from "../helpers/synth-stack.js";

const synth = synthOncePerFile();

type Props = Record<string, unknown>;

function distributionConfig(): Props {
  const all = Object.values(resourcesOfType(synth.template, "AWS::CloudFront::Distribution"));
  expect(all).toHaveLength(1);
  return all[0]!.Properties.DistributionConfig as Props;
}

describe("the web page in the stack", () => {
  it("serves the page from a private bucket that only CloudFront reads, through origin access control", () => {
    const web = synth.stack.web!;
    const bucket = resourcesOfType(synth.template, "AWS::S3::Bucket")[idOf(synth.stack, web.bucket)]!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const config = distributionConfig();
    expect(config.DefaultRootObject).toBe("index.html");
    const origins = config.Origins as Props[];
    const s3 = origins.filter((o) => o.S3OriginConfig !== undefined);
    expect(s3).toHaveLength(1);
    expect(s3[0]!.OriginAccessControlId).toBeDefined();
    expect(Object.keys(resourcesOfType(synth.template, "AWS::CloudFront::OriginAccessControl"))).toHaveLength(
      1,
    );
    expect((config.DefaultCacheBehavior as Props).ViewerProtocolPolicy).toBe("redirect-to-https");
  });

  it("puts every API route on the same distribution, uncached, so the page needs no CORS", () => {
    const behaviors = distributionConfig().CacheBehaviors as Props[];
    const patterns = behaviors.map((b) => b.PathPattern as string);
    expect(patterns.sort()).toEqual(apiPathPatterns().sort());
    for (const route of ROUTES) {
      const first = `/${route.path.split("/")[1]}`;
      expect(patterns).toContain(first);
    }
    for (const behavior of behaviors) {
      expect(behavior.AllowedMethods).toEqual(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]);
      expect(behavior.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // Managed-CachingDisabled
      expect(behavior.ViewerProtocolPolicy).toBe("https-only");
    }
  });

  it("deploys the bundled files and a config.json into the site bucket", () => {
    const deployments = Object.values(resourcesOfType(synth.template, "Custom::CDKBucketDeployment"));
    expect(deployments).toHaveLength(1);
    expect((deployments[0]!.Properties.SourceObjectKeys as unknown[]).length).toBe(2);
    expect(synth.template.findOutputs("WebUrl")).toHaveProperty("WebUrl");
  });

  it("can be left out (context webSite=false), as the moto deploy check does", () => {
    const without = synthStack({ webSite: false });
    expect(without.stack.web).toBeUndefined();
    expect(Object.keys(resourcesOfType(without.template, "AWS::CloudFront::Distribution"))).toHaveLength(0);
  });
});
