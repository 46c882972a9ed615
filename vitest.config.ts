import { defineConfig } from "vitest/config";

/**
 * Three projects. `unit` (test/unit): pure code, no services, no Java, seconds; `npm run test:unit` runs
 * it alone. `infra` (test/infra): CDK synth and bundling assertions, no Java but minutes of CPU.
 * `integration` (test/integration): real DynamoDB Local, s3rver and cognito-local, one of each for the run, started
 * by the global setup only when this project runs. `npm test` runs all three.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "infra", include: ["test/infra/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
