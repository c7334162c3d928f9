// .github/workflows/: the tests on every pull request and push, and the deploy (worker, then site) on a push to
// main or a dispatch. GitHub cannot be reached from the tests, so they parse the YAML and check the jobs, the
// steps and the triggers the project relies on.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  uses?: string;
  container?: string;
  steps?: Step[];
}

interface Workflow {
  name: string;
  on: Record<string, { branches?: string[]; "branches-ignore"?: string[]; types?: string[] } | null>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
  // yaml's default is YAML 1.2, where `on` stays a string key (YAML 1.1 would read it as true).
  return parse(readFileSync(join(WORKFLOWS, file), "utf8")) as Workflow;
}

const ci = readWorkflow("ci.yml");
const deploy = readWorkflow("deploy.yml");
const steps = (job: Job | undefined): Step[] => job?.steps ?? [];
const runs = (job: Job | undefined): string[] => steps(job).flatMap((step) => (step.run ? [step.run] : []));

describe(".github/workflows", () => {
  it("holds only valid workflows, each with triggers and jobs", () => {
    const files = readdirSync(WORKFLOWS).sort();
    expect(files).toEqual(["ci.yml", "deploy.yml"]);
    for (const file of files) {
      const workflow = readWorkflow(file);
      expect(Object.keys(workflow.on ?? {}).length, file).toBeGreaterThan(0);
      expect(Object.keys(workflow.jobs ?? {}).length, file).toBeGreaterThan(0);
    }
  });

  it("pins every action to a version tag or a commit", () => {
    const used = [ci, deploy].flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => steps(job)))
      .flatMap((step) => (step.uses ? [step.uses] : []));
    expect(used).toEqual(expect.arrayContaining(["actions/checkout@v4", "actions/setup-node@v4", "actions/cache@v4"]));
    for (const action of used) expect(action).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
  });

  it("caches .cache/ (the build's comments snapshot) wherever the site is built", () => {
    for (const job of [ci.jobs.test, deploy.jobs.site]) {
      const cache = steps(job).find((step) => step.uses?.startsWith("actions/cache@"));
      expect(cache?.with?.path).toBe(".cache");
      expect(cache?.with?.["restore-keys"]).toBeTruthy();
    }
  });
});

describe("ci.yml", () => {
  it("runs on every pull request and push, and can be called by the deploy", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
    expect(ci.on.pull_request).toBeNull();
  });

  it("runs exactly .ci/run, whose steps are npm ci then npm test", () => {
    expect(runs(ci.jobs.test)).toEqual([".ci/run"]);
    const script = readFileSync(join(ROOT, ".ci", "run"), "utf8");
    expect(script).toMatch(/^npm ci\b/m);
    expect(script).toMatch(/^npm test$/m);
  });
});

describe("deploy.yml", () => {
  it("runs on a push to main, on the worker's repository_dispatch event, and by hand", () => {
    expect(deploy.on.push?.branches).toEqual(["main"]);
    expect(deploy.on.repository_dispatch?.types).toEqual(["comments-changed"]);
    expect(deploy.on).toHaveProperty("workflow_dispatch");
    // The event the worker's deploy hook sends (worker/publish/deploy-hook.ts).
    expect(readFileSync(join(ROOT, "worker", "publish", "deploy-hook.ts"), "utf8")).toContain('DEPLOY_HOOK_EVENT = "comments-changed"');
    // A push to main is tested here, so ci.yml leaves main to this workflow.
    expect(ci.on.push?.["branches-ignore"]).toEqual(["main"]);
  });

  it("on a push, tests first, then deploys the worker, then the site", () => {
    expect(deploy.jobs.test).toMatchObject({ if: "github.event_name == 'push'", uses: "./.github/workflows/ci.yml" });
    expect(deploy.jobs.worker?.needs).toBe("test");
    expect(deploy.jobs.worker?.if).toBe("github.event_name == 'push'");
    expect(deploy.jobs.site?.needs).toEqual(["test", "worker"]);
    // The site runs when nothing before it failed: after a successful worker deploy, or with both skipped (dispatch).
    expect(deploy.jobs.site?.if).toContain("!contains(needs.*.result, 'failure')");
  });

  it("deploys the worker with the production environment and the site as Workers static assets", () => {
    expect(runs(deploy.jobs.worker)).toContain("npm run deploy -- --only worker");
    expect(runs(deploy.jobs.site)).toContain("npm run deploy -- --only site");
    const script = readFileSync(join(ROOT, "scripts", "deploy.ts"), "utf8");
    expect(script).toContain('"deploy", "--config", resolve(worker.path), ...envArgs');
    expect(script).toContain('env: { type: "string", default: "production" }');
    expect(script).toContain('"deploy", "--config", resolve(site.path), "--assets"');
  });

  it("installs with npm ci before deploying", () => {
    for (const job of [deploy.jobs.worker, deploy.jobs.site]) {
      const commands = runs(job);
      expect(commands.findIndex((run) => run.startsWith("npm ci"))).toBeLessThan(commands.findIndex((run) => run.startsWith("npm run deploy")));
      expect(commands.findIndex((run) => run.startsWith("npm ci"))).toBeGreaterThanOrEqual(0);
    }
  });

  it("takes the Cloudflare credentials from the repository's secrets, the site's addresses from its variables, and the version to bake from the dispatch", () => {
    expect(deploy.env).toMatchObject({
      CLOUDFLARE_API_TOKEN: "${{ secrets.CLOUDFLARE_API_TOKEN }}",
      CLOUDFLARE_ACCOUNT_ID: "${{ secrets.CLOUDFLARE_ACCOUNT_ID }}",
    });
    const site = steps(deploy.jobs.site).find((step) => step.run?.includes("--only site"));
    expect(site?.env).toEqual({
      COMMENTS_API_URL: "${{ vars.COMMENTS_API_URL }}",
      SITE_URL: "${{ vars.SITE_URL }}",
      COMMENTS_VERSION: "${{ github.event.client_payload.version }}",
    });
  });
});
