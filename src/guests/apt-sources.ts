// Reading the system's apt sources to reuse its Debian mirror and suites for
// a private, arm64-only apt state. Pure text in, text out: the caller reads
// /etc/apt/sources.list{,.d/*} and writes the result.

export interface AptSource {
  types: string[];        // "deb", "deb-src"
  uris: string[];
  suites: string[];
  components: string[];
  // The other deb822 fields (Signed-By, Trusted, ...), raw values with their
  // continuation lines, keyed by the field name as written.
  fields: Map<string, string>;
  enabled: boolean;
}

const LIST_FIELDS = new Set(["types", "uris", "suites", "components", "enabled", "architectures"]);

// deb822 "*.sources": stanzas of "Field: value" separated by blank lines;
// continuation lines start with a space or tab; "#" starts a comment line.
export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  let cur: Array<[string, string]> = [];
  const finish = () => {
    if (!cur.length) return;
    const get = (k: string) => cur.find(([n]) => n.toLowerCase() === k)?.[1];
    const words = (k: string) => (get(k) ?? "").split(/\s+/).filter(Boolean);
    const fields = new Map<string, string>();
    for (const [n, v] of cur) if (!LIST_FIELDS.has(n.toLowerCase())) fields.set(n, v);
    out.push({
      types: words("types"), uris: words("uris"), suites: words("suites"), components: words("components"), fields,
      enabled: !/^(no|false|0)$/i.test((get("enabled") ?? "yes").trim()),
    });
    cur = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    if (/^#/.test(raw)) continue;
    if (raw.trim() === "") { finish(); continue; }
    if (/^[ \t]/.test(raw)) {
      if (cur.length) cur[cur.length - 1][1] += "\n" + raw;
      continue;
    }
    const m = /^([^\s:]+):[ \t]*(.*)$/.exec(raw);
    if (m) cur.push([m[1], m[2]]);
  }
  finish();
  return out;
}

// One-line "sources.list": `deb [opt=value ...] URI SUITE [COMPONENT...]`.
export function parseOneLineSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) continue;
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const fields = new Map<string, string>();
    for (const opt of (m[2] ?? "").trim().split(/\s+/).filter(Boolean)) {
      const eq = opt.indexOf("=");
      if (eq < 0) continue;
      const key = opt.slice(0, eq).toLowerCase().replace(/[+-]$/, ""), value = opt.slice(eq + 1).split(",").join(" ");
      if (key === "signed-by") fields.set("Signed-By", value);
      else if (key === "trusted") fields.set("Trusted", value);
      else if (key === "check-valid-until") fields.set("Check-Valid-Until", value);
    }
    out.push({ types: [m[1]], uris: [m[3]], suites: [m[4]], components: m[5].split(/\s+/).filter(Boolean), fields, enabled: true });
  }
  return out;
}

// Is this a Debian archive (deb.debian.org, security.debian.org, a mirror or
// a snapshot of one)? Debian's archives live under a path component named
// "debian" or "debian-security"; apt's mirror method names a list file
// (Debian's cloud images: mirror+file:///etc/apt/mirrors/debian.list).
export function isDebianArchiveUri(uri: string): boolean {
  let path: string;
  try { path = new URL(uri.replace(/^(mirror|tor)\+/, "")).pathname; } catch { return false; }
  return /(^|\/)debian(-security)?(\/|$)/.test(path) || (/^mirror\+/.test(uri) && /(^|\/)debian(-security)?\.list$/.test(path));
}

// The binary-package Debian sources among `sources`, each kept whole (same
// mirror, suites, components and keyring) but restricted to type "deb".
export function debianSources(sources: readonly AptSource[]): AptSource[] {
  return sources
    .filter((s) => s.enabled && s.types.includes("deb") && s.suites.length > 0)
    .map((s) => ({ ...s, types: ["deb"], uris: s.uris.filter(isDebianArchiveUri) }))
    .filter((s) => s.uris.length > 0);
}

// Debian's own archive for a release, when the system names none.
export function defaultDebianSources(codename: string): AptSource[] {
  const keyring = new Map([["Signed-By", "/usr/share/keyrings/debian-archive-keyring.gpg"]]);
  return [
    { types: ["deb"], uris: ["http://deb.debian.org/debian"], suites: [codename, `${codename}-updates`], components: ["main"], fields: keyring, enabled: true },
    { types: ["deb"], uris: ["http://deb.debian.org/debian-security"], suites: [`${codename}-security`], components: ["main"], fields: keyring, enabled: true },
  ];
}

// A deb822 file with these sources for one architecture.
export function formatDeb822Sources(sources: readonly AptSource[], arch: string): string {
  return sources.map((s) => {
    const lines = [`Types: ${s.types.join(" ")}`, `URIs: ${s.uris.join(" ")}`, `Suites: ${s.suites.join(" ")}`];
    if (s.components.length) lines.push(`Components: ${s.components.join(" ")}`);
    lines.push(`Architectures: ${arch}`);
    for (const [k, v] of s.fields) lines.push(`${k}: ${v}`);
    return lines.join("\n") + "\n";
  }).join("\n");
}

// VERSION_CODENAME and ID from /etc/os-release.
export function parseOsRelease(text: string): { id?: string; idLike: string[]; codename?: string } {
  const vars = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1], m[2].replace(/^(["'])(.*)\1$/, "$2"));
  }
  return { id: vars.get("ID"), idLike: (vars.get("ID_LIKE") ?? "").split(/\s+/).filter(Boolean), codename: vars.get("VERSION_CODENAME") || undefined };
}
