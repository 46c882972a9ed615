import { App } from "aws-cdk-lib";
import { buildApp } from "./build-app.js";

// The CDK app (cdk.json: `npx tsx infra/app.ts`). Settings come from CDK context; see infra/settings.ts.
const app = new App();
buildApp(app);
app.synth();
