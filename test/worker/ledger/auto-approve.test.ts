import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { admin, createApproved, getThread, submit, validComment } from "../helpers.ts";

afterEach(() => reset());

const ON = { AUTO_APPROVE_RETURNING: "true" };

describe("AUTO_APPROVE_RETURNING", () => {
  it("approves and publishes at once a commenter whose email already has an approved comment", async () => {
    const first = await createApproved({ email: "regular@example.org" });
    const response = await submit(validComment({ email: "Regular@Example.org", body: "Back again" }), { vars: ON });
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe("approved");
    expect((await getThread()).comments.map((c) => c.id)).toEqual([first, id]);
    const shown = (await (await admin(`/comments/${id}`)).json()) as { comment: { moderatedAt: string | null } };
    expect(shown.comment.moderatedAt).toEqual(expect.any(String));
  });

  it("holds a first-time commenter for moderation", async () => {
    await createApproved({ email: "regular@example.org" });
    const response = await submit(validComment({ email: "new@example.org" }), { vars: ON });
    expect(await response.json()).toMatchObject({ status: "pending" });
  });

  it("is off by default", async () => {
    await createApproved({ email: "regular@example.org" });
    const response = await submit(validComment({ email: "regular@example.org" }));
    expect(await response.json()).toMatchObject({ status: "pending" });
  });

  it("stops trusting an email once its only approved comment is rejected or deleted", async () => {
    for (const undo of ["reject", "delete"] as const) {
      const id = await createApproved({ email: "once@example.org" });
      await (undo === "reject" ? admin(`/comments/${id}/reject`, { method: "POST" }) : admin(`/comments/${id}`, { method: "DELETE" }));
      const response = await submit(validComment({ email: "once@example.org" }), { vars: ON });
      expect(await response.json(), undo).toMatchObject({ status: "pending" });
    }
  });

  it("keeps trusting an email that still has another approved comment", async () => {
    await createApproved({ email: "twice@example.org" });
    const second = await createApproved({ email: "twice@example.org" });
    await admin(`/comments/${second}/reject`, { method: "POST" });
    const response = await submit(validComment({ email: "twice@example.org" }), { vars: ON });
    expect(await response.json()).toMatchObject({ status: "approved" });
  });
});
