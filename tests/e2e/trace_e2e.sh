#!/usr/bin/env bash
# End-to-end checks of archive add|stats|verify|get|remove, trace, and
# restore/check --archive on the real binary.
#   trace_e2e.sh UNSPIN MODELS_DIR CASE
# Cases that run the decoder (restore_fallback) skip (exit 77) without models.
set -u
UNSPIN=$1
MODELS=$2
CASE=$3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-trace-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
fail() { echo "FAIL [$CASE]: $*" >&2; echo "--- stdout:" >&2; head -c 3000 out >&2; echo "--- stderr:" >&2; head -c 3000 err >&2; exit 1; }
run() { timeout 60 "$UNSPIN" "$@" >out 2>err; RC=$?; }
expect_rc() { [ "$RC" -eq "$1" ] || fail "exit $RC, expected $1"; }

cat >orig.txt <<'TXT'
The company's chief executive, Maria Lopez, told reporters in Chicago on Tuesday that prices had risen by 12 percent during the past six months, including a sharp increase in the cost of fuel. Lopez said the board of Norland Freight would meet again in March to decide whether to raise fares on the routes to Denver and Omaha, which carried 40,000 passengers last year.
TXT
cat >spun.txt <<'TXT'
The firm's chief govt, Maria Lopez, instructed reporters in Chicago on Tuesday that costs had risen by 12 percent throughout the previous six months, together with a pointy enhance in the price of gasoline. Lopez stated the panel of Norland Freight would meet once more in March to determine whether or not to lift fares on the routes to Denver and Omaha, which carried 40,000 passengers final year.
TXT
cat >other.txt <<'TXT'
Rain fell over the hills of Wales for three days, and the farmers of Powys counted 300 sheep lost to the floods near Builth Wells while the River Wye rose to its highest level since 1998. Emergency crews from Cardiff worked through the night, and the council opened two schools as shelters for families.
TXT
cat >unrelated.txt <<'TXT'
The orchestra of Vienna opened its season with a program of Brahms and Mahler, and the conductor, Anton Weiss, said the hall had been restored after a fire in 2019 damaged the roof and the organ. Tickets for the twelve concerts sold out within a week, the box office reported on Friday.
TXT
add_two() {
  run archive add --archive a.db orig.txt other.txt; expect_rc 0
}

# A crawl of two sites for `learn --archive --jsonl`: copies of three archived
# originals (orig.txt twice), a text with no source, a line without a site
# and a bad line (line 6).
make_crawl() {
  sed -e 's/fell/dropped/; s/counted/tallied/; s/highest/greatest/; s/worked/laboured/' other.txt >spun_b.txt
  sed -e 's/opened/began/; s/restored/repaired/; s/sold out/went/' unrelated.txt >spun_c.txt
  run archive add --archive c.db orig.txt other.txt unrelated.txt; expect_rc 0
  line() { printf '{"%s": "%s", "id": "%s", "text": "%s"}\n' "$1" "$2" "$3" "$(tr -d '\n' <"$4")"; }
  {
    line url https://a.example/1 p1 spun.txt
    line url https://a.example/2 p2 spun_b.txt
    line site b.example p3 spun_c.txt
    line url https://a.example/3 p4 spun.txt
    line id none p5 spun_c.txt
    echo '{not json'
    line site b.example p6 spun_b.txt
    printf '{"url": "https://a.example/4", "text": "%s"}\n' "Snow closed the passes of the Alps for a week, and the railway from Zurich to Milan ran buses over the road instead while crews cleared 3 metres of drift."
  } >crawl.jsonl
}

case "$CASE" in
  add_stats_verify)
    add_two
    grep -q "added 2 documents" err || fail "no summary on stderr"
    run archive add --archive a.db orig.txt; expect_rc 0
    grep -qx "replaced orig.txt" out || fail "replacing an id is not reported"
    run archive stats --archive a.db --json; expect_rc 0
    grep -q '"documents": 2' out || fail "stats: expected 2 documents"
    grep -q '"schema_version": 1' out || fail "stats: schema version"
    run archive verify --archive a.db; expect_rc 0
    run archive get --archive a.db orig.txt; expect_rc 0
    cmp -s out orig.txt || fail "get: text differs"
    ;;
  jsonl)
    printf '%s\n' '{"id": "a", "text": "Alpha Beta met Gamma in 1999 at Delta."}' 'not json' '{"id": "b", "text": "Epsilon and Zeta, 2001."}' >in.jsonl
    run archive add --archive j.db --id-from jsonl in.jsonl; expect_rc 2
    grep -q "in.jsonl:2" err || fail "bad line not reported with its line number"
    run archive stats --archive j.db --json; grep -q '"documents": 2' out || fail "good lines not added"
    # Without --id-from, a .jsonl file is read as lines too (never stored whole as one document) ...
    run archive add --archive k.db in.jsonl; expect_rc 2
    grep -q "in.jsonl:2" err || fail "auto: a .jsonl file was not read as lines"
    run archive stats --archive k.db --json; grep -q '"documents": 2' out || fail "auto: good lines not added"
    run archive get --archive k.db b; expect_rc 0
    grep -q "Epsilon and Zeta" out || fail "auto: line b not stored under its id"
    # ... and --id-from path stores it whole, as asked.
    run archive add --archive p.db --id-from path in.jsonl; expect_rc 0
    run archive stats --archive p.db --json; grep -q '"documents": 1' out || fail "path: the file is one document"
    ;;
  remove)
    add_two
    run archive remove --archive a.db other.txt; expect_rc 0
    grep -qx "removed other.txt" out || fail "remove not reported"
    run archive remove --archive a.db other.txt; expect_rc 2
    run archive stats --archive a.db --json; grep -q '"documents": 1' out || fail "not removed"
    ;;
  trace_json)
    add_two
    run trace --archive a.db --json spun.txt; expect_rc 0
    grep -q '"id": "orig.txt"' out || fail "source not found"
    for key in score aligned substitutions offset length spun original source_offset source_length; do
      grep -q "\"$key\"" out || fail "JSON lacks $key"
    done
    grep -q '"original": "including"' out || fail "phrase substitution not reported"
    run trace --archive a.db unrelated.txt; expect_rc 0
    grep -q "no source found" out || fail "an unrelated text got a source"
    ;;
  restore_from_source)
    add_two
    run restore --archive a.db --models "$TMP/no-models" spun.txt; expect_rc 0
    cmp -s out orig.txt || fail "restore --archive did not give the original"
    run check --archive a.db --models "$TMP/no-models" --json spun.txt; expect_rc 0
    grep -q '"source"' out || fail "check --json lacks the source object"
    grep -q '"UNSPIN_SOURCE"' out || fail "edits lack rule UNSPIN_SOURCE"
    grep -Eq '"verdict": *"spun"' out || fail "a spun copy of an archived source is not called spun"
    grep -Eq '"role": *"archive"' out || fail "provenance does not record the archive"
    grep -Eq '"version": *"' out || fail "provenance lacks the version"
    ;;
  restore_fallback)
    [ -f "$MODELS/en-us.ulm" ] || exit 77
    add_two
    run restore --archive a.db --models "$MODELS" unrelated.txt; expect_rc 0
    run check --archive a.db --models "$MODELS" --json unrelated.txt; expect_rc 0
    grep -q '"source"' out && fail "source reported for a text with no source"
    grep -q '"UNSPIN_SOURCE"' out && fail "UNSPIN_SOURCE edit without a source"
    ;;
  learn_table)
    add_two
    run trace --archive a.db --learn-table t.tsv spun.txt; expect_rc 0
    grep -qP '^including\ttogether with\t1\.000\t1$' t.tsv || { cat t.tsv >&2; fail "learn table lacks the pair"; }
    # `unspin learn --archive` writes the same table.
    run learn --archive a.db -o l.tsv spun.txt; expect_rc 0
    grep -qP '^including\ttogether with\t1\.000\t1$' l.tsv || { cat l.tsv >&2; fail "learn --archive lacks the pair"; }
    ;;
  learn_table_reads_back)
    # A copy whose alignment crosses punctuation and a paragraph break: the
    # table holds words only, and restore reads every line of it back.
    printf '%s\n\n%s\n' "The company's chief executive, Maria Lopez, told reporters in Chicago on Tuesday that prices had risen by 12 percent during the past six months, including a sharp increase in the cost of fuel, and all of it." \
      "Lopez said the board of Norland Freight would meet again in March to decide whether to raise fares on the routes to Denver and Omaha, which carried 40,000 passengers last year." >p_orig.txt
    printf '%s\n\n%s\n' "The firm's chief govt, Maria Lopez, instructed reporters in Chicago on Tuesday that costs had risen by 12 percent throughout the previous six months together with a pointy enhance in the price of gasoline, and the whole lot" \
      "Lopez stated the panel of Norland Freight would meet once more in March to determine whether or not to lift fares on the routes to Denver and Omaha, which carried 40,000 passengers final year." >p_spun.txt
    run archive add --archive p.db p_orig.txt; expect_rc 0
    run learn --archive p.db -o p.tsv p_spun.txt; expect_rc 0
    head -1 p.tsv | grep -qx '# unspin learned-table v1 pages=1 method=aligned' || fail "header: $(head -1 p.tsv)"
    grep -qP '^including\ttogether with\t' p.tsv || { cat p.tsv >&2; fail "the pair behind a dropped comma is lost"; }
    grep -qP '^all of it\tthe whole lot\t' p.tsv || { cat p.tsv >&2; fail "the pair before a paragraph break is lost"; }
    grep -v '^#' p.tsv | cut -f1,2 | grep -qP "[^[:alnum:] '\t-]" && { cat p.tsv >&2; fail "punctuation in a learned pair"; }
    [ -f "$MODELS/en-us.ulm" ] || exit 0
    run restore --models "$MODELS" --lexicon p.tsv p_spun.txt; expect_rc 0
    grep -qi "warning" err && fail "restore warns about the learned table"
    # An aligned table is trusted as the user's table: its edits are UNSPIN_TABLE.
    run check --json --models "$MODELS" --lexicon p.tsv p_spun.txt; expect_rc 0
    grep -q '"role": "aligned_lexicon"' out || fail "no aligned_lexicon role"
    grep -q '"UNSPIN_LEARNED"' out && fail "an aligned table's edits are not UNSPIN_LEARNED"
    grep -q "during the past six months including a sharp increase" out || fail "the learned table does not restore its own copy"
    ;;
  learn_archive_jsonl)
    # `learn --archive --jsonl`: one table per site; partitions counted apart
    # (--counts) and merged (--from-counts) give the same files byte for byte.
    make_crawl
    run learn --archive c.db --jsonl --threads 1 -o one crawl.jsonl; expect_rc 2  # the bad line's status
    grep -q "crawl.jsonl:6: not a JSON object" err || fail "the bad line is not reported with file:line"
    grep -q "1 line(s) without a site" err || fail "the line without a site is not reported as skipped"
    [ "$(ls one)" = "$(printf 'a.example.tsv\nb.example.tsv')" ] || fail "tables: $(ls one | tr '\n' ' ')"
    head -1 one/a.example.tsv | grep -qx '# unspin learned-table v1 pages=4 site=a.example method=aligned' ||
      fail "header: $(head -1 one/a.example.tsv)"
    # Two pages traced to orig.txt: the pair twice, in 2 of the source's 2 (weighted) occurrences.
    grep -qP '^including\ttogether with\t1\.000\t2$' one/a.example.tsv || { cat one/a.example.tsv >&2; fail "a.example lacks the pair"; }
    grep -qP '^fell\tdropped\t1\.000\t1$' one/b.example.tsv || { cat one/b.example.tsv >&2; fail "b.example lacks the pair"; }
    run learn --archive c.db --jsonl --threads 2 -o two crawl.jsonl; expect_rc 2
    diff -r one two >/dev/null || fail "2 threads wrote other tables than 1"
    for split in "1 4" "2 5"; do
      rm -rf parts merged; mkdir parts
      set -- $split
      sed -n "1,${1}p" crawl.jsonl >p0.jsonl; sed -n "$(($1 + 1)),${2}p" crawl.jsonl >p1.jsonl; sed -n "$(($2 + 1)),\$p" crawl.jsonl >p2.jsonl
      for i in 0 1 2; do
        run learn --archive c.db --jsonl --counts -o "c$i" "p$i.jsonl"
        for f in "c$i"/*.counts; do [ -e "$f" ] && mv "$f" "parts/$(basename "$f" .counts).part-$i.counts"; done
      done
      head -1 parts/a.example.part-0.counts | grep -qx '{"format":"unspin aligned-counts","version":1,"pages":[0-9]*}' ||
        fail "counts header: $(head -1 parts/a.example.part-0.counts)"
      run learn --archive c.db --from-counts -o merged parts/*.counts; expect_rc 0
      diff -r one merged >&2 || fail "tables from the counts of partitions ($split) differ from one pass"
      rm -rf c0 c1 c2
    done
    ;;
  learn_archive_bad_counts)
    make_crawl
    run learn --archive c.db --jsonl --counts -o counts crawl.jsonl; expect_rc 2
    cp counts/b.example.counts good.counts
    # A corrupt file: an error naming it and its line, and no table written.
    mkdir bad
    head -2 counts/a.example.counts >bad/a.example.counts
    printf '{"original":"big","spun":"huge","count":"many"}\n' >>bad/a.example.counts
    cp counts/b.example.counts bad/b.example.counts
    run learn --archive c.db --from-counts -o tables bad/a.example.counts bad/b.example.counts; expect_rc 9
    grep -q 'a.example.counts: aligned counts line 3: "count" must be a whole number' err || fail "the error does not name the file and line"
    [ -z "$(ls -A tables 2>/dev/null)" ] || fail "something was written: $(ls -A tables)"
    printf 'not counts\n' >bad/a.example.counts
    run learn --archive c.db --from-counts -o tables bad/a.example.counts bad/b.example.counts; expect_rc 9
    grep -q 'a.example.counts: not unspin aligned counts' err || fail "a foreign file is not named as such"
    # The site learner's counts are not aligned counts.
    printf '# unspin site-counts v2 pages=1 words=3\n' >s.counts
    run learn --archive c.db --from-counts -o tables s.counts; expect_rc 9
    grep -q 's.counts: not unspin aligned counts' err || fail "site counts read as aligned counts"
    # A source removed from the archive since the counting: an error naming it,
    # nothing written (a.example's table, made before b.example's failed, neither).
    run archive remove --archive c.db unrelated.txt; expect_rc 0
    run learn --archive c.db --from-counts -o tables2 counts/a.example.counts counts/b.example.counts; expect_rc 9
    grep -q '"unrelated.txt" is no longer in the archive' err || fail "the removed source is not named"
    [ -z "$(ls -A tables2 2>/dev/null)" ] || fail "something was written: $(ls -A tables2)"
    ;;
  bad_input)
    run trace --archive missing.db spun.txt; expect_rc 3
    printf 'not a database at all, only text, long enough to fill a header........................' >fake.db
    run trace --archive fake.db spun.txt; expect_rc 8
    add_two
    printf '\xff\xfe' >bad.txt
    run trace --archive a.db bad.txt; expect_rc 4
    run archive add --archive a.db bad.txt; expect_rc 4
    : >empty.txt
    run archive add --archive a.db empty.txt; expect_rc 7
    run archive add --archive a.db - </dev/null; expect_rc 2
    run archive add --archive a.db --id-from xml orig.txt; expect_rc 2
    mkdir dir.db; run archive stats --archive dir.db; expect_rc 3
    [ "$(wc -l <err)" -eq 1 ] || fail "expected one error line"
    ;;
  *) echo "unknown case $CASE" >&2; exit 2 ;;
esac
echo "PASS [$CASE]"
