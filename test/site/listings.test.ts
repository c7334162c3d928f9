import { describe, expect, it } from "vitest";
import { byYear, LIST_SIZES, newest } from "../../site/listings.ts";

const day = (iso: string) => ({ date: new Date(`${iso}T00:00:00Z`), name: iso });
/** As Eleventy gives a collection: oldest first. */
const POSTS = ["2022-12-31", "2023-01-01", "2023-06-30", "2024-01-02"].map(day);

describe("newest", () => {
  it("gives the newest items first, as many as asked for, or all of them", () => {
    expect(newest(POSTS, 2).map((p) => p.name)).toEqual(["2024-01-02", "2023-06-30"]);
    expect(newest(POSTS).map((p) => p.name)).toEqual(["2024-01-02", "2023-06-30", "2023-01-01", "2022-12-31"]);
    expect(newest(POSTS, 10)).toHaveLength(4);
    expect(newest(POSTS, 0)).toEqual([]);
    expect(newest([], 3)).toEqual([]);
  });

  it("leaves the collection itself in Eleventy's order", () => {
    newest(POSTS, 3);
    expect(POSTS.map((p) => p.name)).toEqual(["2022-12-31", "2023-01-01", "2023-06-30", "2024-01-02"]);
  });
});

describe("byYear", () => {
  it("splits posts sorted newest first into years, newest year first, by the calendar year in UTC", () => {
    expect(byYear(newest(POSTS)).map(({ year, items }) => [year, items.map((p) => p.name)])).toEqual([
      [2024, ["2024-01-02"]],
      [2023, ["2023-06-30", "2023-01-01"]],
      [2022, ["2022-12-31"]],
    ]);
    expect(byYear([])).toEqual([]);
  });
});

describe("LIST_SIZES", () => {
  it("shows the latest 10 posts on the home page, 20 in the feeds, and 50 comments in the comment feeds", () => {
    expect(LIST_SIZES).toEqual({ home: 10, feed: 20, commentFeed: 50 });
  });
});
