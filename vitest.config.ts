import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// One `vitest run` covers the project:
// - site:   the Eleventy build and Node-side tools, in Node;
// - worker: the comment service inside workerd against real local KV (@cloudflare/vitest-plugin);
// - e2e:    real processes (wrangler dev, the built site, Chromium), one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "site", environment: "node", include: ["test/site/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        // Local KV does not enforce KV's one write a second to a key, so the route tests let the ledger write as
        // fast as it likes; test/worker/ledger/*.test.ts run the ledger against a KV double that enforces the rule.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // Mail is on, recorded in memory (worker/mail/recording.ts), with no gap between a recipient's mails
            // and no wait before a retry, so a test sees each send at once; every mail carries a manage link.
            miniflare: {
              bindings: {
                KV_WRITE_SPACING_MS: "0",
                MAIL_TRANSPORT: "record",
                MAIL_KEYS: "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                MANAGE_SECRET: "test-manage-secret",
                MAIL_RECIPIENT_GAP_MINUTES: "0",
                MAIL_RETRY_BASE_SECONDS: "0",
              },
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000 },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/browser/**/*.test.ts", "test/scripts/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
