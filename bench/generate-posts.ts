// A deterministic generator of synthetic posts for the build benchmarks: the same seed
// and count always give byte-identical files, so two runs (and the project and the bare baseline) build exactly
// the same input. Each post is about 630 words of Markdown with headings, lists, links, emphasis, inline and fenced
// code, and quotes, and front matter the site's schema accepts (title, date, author, tags). One post in four has an
// `intro`; the others are summarised from their first paragraph, as every post written without one is.
//
// Usage: node bench/generate-posts.ts <outDir> [count=1000] [seed=7]
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The seed `npm run bench` uses unless told otherwise. */
export const DEFAULT_SEED = 7;

/** mulberry32: a tiny seeded PRNG, plenty for picking words (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "leadership health care system patients staff teams partnership services quality safety improvement culture " +
  "development talent local national board clinical managers nurses doctors community trust commissioning " +
  "integration outcomes evidence learning programme academy values compassion change people workforce practice " +
  "strategy population resources finance engagement listening coaching mentoring feedback performance " +
  "organisation network region pathway primary secondary acute mental wellbeing inclusion diversity equality " +
  "experience measure data insight plan review support challenge opportunity approach framework capability"
).split(" ");
const AUTHORS = ["Jan Sobieraj", "Amira Patel", "Owen Hughes", "Grace Mensah", "Tom Fletcher", "Priya Nair",
  "Rhys Evans", "Sarah O'Neill", "David Okafor", "Hannah Lewis", "Marek Nowak", "Fiona Campbell"];
const TAGS = ["leadership development", "talent management", "system leadership", "NHS", "coaching",
  "patient safety", "culture", "inclusion", "quality improvement", "workforce", "wellbeing", "board development",
  "clinical leadership", "partnership", "learning"];
const CODE_SNIPPETS = [
  ["js", "const staff = await fetchRota(ward);\nconsole.log(staff.filter((s) => s.onShift).length);"],
  ["sh", "npm run build\nls _site/posts | wc -l"],
  ["yaml", "programme: Mary Seacole\ncohort: 2013\nweeks: 12"],
] as const;

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function words(random: Random, count: number): string[] {
  return Array.from({ length: count }, () => pick(random, WORDS));
}

function sentence(random: Random): string {
  const parts = words(random, between(random, 8, 16));
  const roll = random();
  if (roll < 0.15) parts[between(random, 1, parts.length - 1)] = `\`${pick(random, WORDS)}\``;
  else if (roll < 0.25) parts[between(random, 1, parts.length - 1)] = `*${pick(random, WORDS)}*`;
  else if (roll < 0.3) parts[between(random, 1, parts.length - 1)] = `**${pick(random, WORDS)} ${pick(random, WORDS)}**`;
  return `${capitalise(parts.join(" "))}.`;
}

function paragraph(random: Random, link: boolean): string {
  const sentences = Array.from({ length: between(random, 3, 5) }, () => sentence(random));
  if (link) {
    const text = words(random, 3).join(" ");
    sentences.splice(1, 0, `Read more in [${text}](https://www.leadershipacademy.nhs.uk/${pick(random, WORDS)}/).`);
  }
  return sentences.join(" ");
}

/** Counts the words of a Markdown body, roughly as a reader would (code and markup characters excluded). */
export function countWords(markdown: string): number {
  return markdown.replace(/```[\s\S]*?```/g, " ").split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
}

/** One post's file name and source. `index` makes the slug unique. */
export function generatePost(random: Random, index: number): { slug: string; source: string } {
  const titleWords = words(random, between(random, 3, 6));
  const title = capitalise(titleWords.join(" "));
  const slug = `${titleWords.join("-")}-${index + 1}`;
  const day = new Date(Date.UTC(2010, 0, 1) + between(random, 0, 5000) * 86_400_000).toISOString().slice(0, 10);
  const tags = [...new Set(Array.from({ length: between(random, 1, 3) }, () => pick(random, TAGS)))];
  const blocks: string[] = [];
  // Sections are added until the words reach this; the last section takes a post to about 630 words on average.
  const target = 560;
  let section = 0;
  while (countWords(blocks.join("\n\n")) < target) {
    if (section > 0) blocks.push(`## ${capitalise(words(random, between(random, 2, 5)).join(" "))}`);
    blocks.push(paragraph(random, section % 2 === 0));
    if (section % 3 === 1) blocks.push(Array.from({ length: between(random, 3, 5) }, () => `- ${words(random, between(random, 4, 9)).join(" ")}`).join("\n"));
    if (section % 3 === 2) blocks.push(Array.from({ length: between(random, 3, 4) }, (_, i) => `${i + 1}. ${words(random, between(random, 4, 9)).join(" ")}`).join("\n"));
    if (section === 2) {
      const [language, code] = pick(random, CODE_SNIPPETS);
      blocks.push(`\`\`\`${language}\n${code}\n\`\`\``);
    }
    if (section % 4 === 3) blocks.push(`> ${sentence(random)}\n> ${sentence(random)}`);
    blocks.push(paragraph(random, false));
    section++;
  }
  const frontMatter = [
    "---",
    `title: "${title}"`,
    `date: ${day}`,
    `author: "${pick(random, AUTHORS)}"`,
    ...(random() < 0.25 ? [`intro: "${sentence(random)}"`] : []),
    `tags: [${tags.map((t) => `"${t}"`).join(", ")}]`,
    "---",
  ].join("\n");
  return { slug, source: `${frontMatter}\n${blocks.join("\n\n")}\n` };
}

/** Writes `count` posts into `dir` (created if needed); returns their slugs in order. */
export function generatePosts(dir: string, count: number, seed = DEFAULT_SEED): string[] {
  mkdirSync(dir, { recursive: true });
  const random = createRandom(seed);
  const slugs: string[] = [];
  for (let i = 0; i < count; i++) {
    const { slug, source } = generatePost(random, i);
    writeFileSync(join(dir, `${slug}.md`), source);
    slugs.push(slug);
  }
  return slugs;
}

if (import.meta.main) {
  const [outDir, count = "1000", seed = String(DEFAULT_SEED)] = process.argv.slice(2);
  if (!outDir) {
    console.error("usage: node bench/generate-posts.ts <outDir> [count=1000] [seed=7]");
    process.exit(2);
  }
  const slugs = generatePosts(resolve(outDir), Number(count), Number(seed));
  console.log(`wrote ${slugs.length} posts to ${resolve(outDir)}`);
}
