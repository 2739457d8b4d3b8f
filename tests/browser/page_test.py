#!/usr/bin/env python3
"""The web page in a real browser (headless Chromium driven by Selenium).

    page_test.py UNSPIN MODELS_DIR SOURCE_DIR OUT_DIR

Starts `unspin serve` (with examples/spinner-table.txt) on a free loopback port, pastes a spun paragraph
(examples/spun-news.txt) into the page, checks with Ctrl+Enter, and checks
that the highlighted spans and the restored text are what `unspin check
--json` and `unspin restore` print for the same text; that the review spans
`check --json` lists beside the edits (SCHEMA §3b: candidates below the edit
threshold, unusual wording) are drawn too, lighter than the edits, each with
its original (or "unusual wording") and confidence; then the view toggles,
the hover tip, and a text with emoji and CJK before the spun words (UTF-16
offsets in JavaScript). Saves OUT_DIR/serve-page.png.

Exit 77 (skipped, with the reason) when Chromium, chromedriver or
python3-selenium is missing: tests/setup_test_tools.sh installs them.
"""
import json
import os
import shutil
import subprocess
import sys
import time

SKIP = 77


def skip(reason):
    print(f"SKIPPED: {reason}; install them with tests/setup_test_tools.sh "
          "(Debian chromium chromium-driver python3-selenium)")
    sys.exit(SKIP)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    skip("python3-selenium is not installed")

unspin, models, source, out_dir = sys.argv[1:5]
chromium = shutil.which("chromium")
chromedriver = shutil.which("chromedriver")
if not chromium or not chromedriver:
    skip("chromium or chromedriver is not installed")
if not os.path.exists(os.path.join(models, "en-us.ulm")):
    print(f"SKIPPED: no compiled models in {models} (run ./setup.sh)")
    sys.exit(SKIP)

failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


# The example spinner table, for the server and the CLI alike: with it the
# spun example has edits to show (the decoder alone restores few).
TABLE = ["--lexicon", os.path.join(source, "examples", "spinner-table.txt")]


def cli(*args, text):
    return subprocess.run([unspin, *args, "--models", models, *TABLE, "-"], input=text.encode(),
                          capture_output=True, check=True).stdout.decode()


server = subprocess.Popen([unspin, "serve", "--port", "0", "--quiet", "--models", models, *TABLE],
                          stderr=subprocess.PIPE, text=True)
driver = None
try:
    line = server.stderr.readline()
    if "listening on" not in line:
        print("FAIL: the server did not start:", line, server.stderr.read())
        sys.exit(1)
    url = line.split("listening on ")[1].split()[0]

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1500", "--lang=en-US"):
        options.add_argument(arg)
    downloads = os.path.join(out_dir, "serve-page-downloads")
    shutil.rmtree(downloads, ignore_errors=True)
    os.makedirs(downloads)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(30)
    wait = WebDriverWait(driver, 30)

    def check_text(text, typed):
        area = driver.find_element(By.ID, "input-text")
        driver.find_element(By.ID, "clear-button").click()
        if typed:
            area.send_keys(text)
        else:  # what a paste leaves in the box (send_keys cannot type emoji in chromedriver)
            driver.execute_script("arguments[0].value = arguments[1];", area, text)
        expect(area.get_attribute("value") == text, "the text box does not hold the pasted text")
        area.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith(("Checked", "Error")))
        expect(driver.find_element(By.ID, "status").text.startswith("Checked"),
               "status: " + driver.find_element(By.ID, "status").text)

    def marks():
        return driver.execute_script(
            "return [...document.querySelectorAll('#view-spun mark.spun')].map(m => "
            "[m.dataset.spun, m.dataset.original]);")

    def review_marks():
        """[spun, original, confidence (3 decimals)] of each review span drawn."""
        return driver.execute_script(
            "return [...document.querySelectorAll('#view-spun mark.review')].map(m => "
            "[m.dataset.spun, m.dataset.original, m.dataset.confidence]);")

    def review_wanted(result):
        """What the page must draw as review spans: the review spans of
        `check --json` that are not applied edits, in input order."""
        return [[r["spun"], r["original"] or "", f"{r['confidence']:.3f}"]
                for r in result["review"] if not r["applied"]]

    def tip_on_focus(mark):
        driver.execute_script("arguments[0].focus();", mark)
        tip = mark.find_element(By.CSS_SELECTOR, ".tip")
        return tip.text if tip.is_displayed() else ""

    driver.get(url)
    expect("unspin" in driver.title, f"page title {driver.title!r}")

    spun = open(os.path.join(source, "examples", "spun-news.txt"), encoding="utf-8").read()
    check_text(spun, typed=True)
    expected = json.loads(cli("check", "--json", "--offsets", "utf16", text=spun))
    want = [[m["spun"], m["replacements"][0]["value"]] for m in expected["matches"]]
    got = marks()
    expect(len(want) > 0, "the example has no spun span to show")
    expect(got == want, f"highlighted spans {got} != check --json {want}")
    # Each mark covers exactly the UTF-16 span the server named.
    in_text = [[spun[m["offset"]:m["offset"] + m["length"]], m["replacements"][0]["value"]]
               for m in expected["matches"]]
    expect(got == in_text, f"highlighted spans {got} != the text at the offsets {in_text}")
    verdict = driver.find_element(By.ID, "verdict").text.lower()
    expect(expected["verdict"].split()[0].lower() in verdict or
           (expected["verdict"] == "clean" and "no sign" in verdict), f"verdict shown {verdict!r}")
    rows = driver.find_elements(By.CSS_SELECTOR, "#paragraphs tbody tr")
    expect(len(rows) == len(expected["paragraphs"]), f"{len(rows)} paragraph rows, want {len(expected['paragraphs'])}")

    # Review spans: the candidates below the edit threshold are drawn beside
    # the edits, each with its original and confidence, and look lighter.
    want_review = review_wanted(expected)
    expect(any(original for _, original, _ in want_review),
           f"the example has no candidate review span to show (check --json review: {expected['review']})")
    expect(review_marks() == want_review, f"review spans drawn {review_marks()} != check --json {want_review}")
    looks = driver.execute_script("""
        const alpha = (c) => { const m = c.match(/rgba?\\(([^)]*)\\)/); if (!m) return 0;
                               const p = m[1].split(','); return p.length > 3 ? parseFloat(p[3]) : 1; };
        const look = (m) => { const s = getComputedStyle(m);
                              return [alpha(s.backgroundColor), s.borderBottomStyle]; };
        return [[...document.querySelectorAll('#view-spun mark.spun')].map(look),
                [...document.querySelectorAll('#view-spun mark.review')].map(look)];""")
    edit_looks, review_looks = looks
    expect(all(style != "dotted" for _, style in edit_looks), f"an edit is drawn dotted: {edit_looks}")
    expect(all(style == "dotted" for _, style in review_looks), f"a review span is not dotted: {review_looks}")
    expect(review_looks and edit_looks and
           max(a for a, _ in review_looks) < min(a for a, _ in edit_looks),
           f"review spans are not lighter than edits: review {review_looks}, edits {edit_looks}")
    candidate = driver.find_elements(By.CSS_SELECTOR, "#view-spun mark.review")[0] if want_review else None
    if candidate:
        tip = tip_on_focus(candidate)
        spun_words, original, confidence = want_review[0]
        pct = f"{round(100 * float(confidence))}%"
        expect(original in tip and pct in tip, f"review tip {tip!r} lacks {original!r} and {pct}")
        expect(original in candidate.get_attribute("title") and pct in candidate.get_attribute("title"),
               f"review title {candidate.get_attribute('title')!r}")
    score_line = driver.find_element(By.ID, "score-line").text
    expect(f"{len(want_review)} more to review" in score_line, f"score line {score_line!r}")

    # The restored view (and the diff's right column) against `unspin restore`.
    restored = cli("restore", text=spun)
    driver.find_element(By.CSS_SELECTOR, 'input[name="view"][value="restored"]').click()
    expect(driver.find_element(By.ID, "view-restored").is_displayed(), "restored view not shown")
    expect(not driver.find_element(By.ID, "view-spun").is_displayed(), "spun view still shown")
    shown = driver.execute_script("return document.getElementById('view-restored').textContent;")
    expect(shown == restored, f"restored view {shown!r} != unspin restore {restored!r}")
    driver.find_element(By.CSS_SELECTOR, 'input[name="view"][value="diff"]').click()
    right = driver.execute_script("return document.getElementById('diff-restored').textContent;")
    expect(right == restored, "the diff's restored column differs from unspin restore")

    # Keyboard: Tab reaches a highlight and shows its original.
    driver.find_element(By.CSS_SELECTOR, 'input[name="view"][value="spun"]').click()
    expect(not driver.find_element(By.ID, "view-diff").is_displayed(), "the diff stays shown in the spun view")
    expect(not driver.find_element(By.ID, "view-restored").is_displayed(), "the restored view stays shown")
    first = driver.find_element(By.CSS_SELECTOR, "#view-spun mark.spun")
    driver.execute_script("arguments[0].focus();", first)
    tip = first.find_element(By.CSS_SELECTOR, ".tip")
    expect(tip.is_displayed() and want[0][1] in tip.text, f"focus tip {tip.text!r}")
    ActionChains(driver).move_to_element(first).perform()
    driver.save_screenshot(os.path.join(out_dir, "serve-page.png"))

    # Download: the file holds the restored text.
    driver.find_element(By.ID, "download-button").click()
    saved = os.path.join(downloads, "restored.txt")
    for _ in range(50):
        if os.path.exists(saved) and os.path.getsize(saved) > 0:
            break
        time.sleep(0.1)
    expect(os.path.exists(saved) and open(saved, encoding="utf-8").read() == restored,
           "the downloaded file is not the restored text")

    # Open a file with the file button (keyboard reachable input): checked at once.
    clean_path = os.path.abspath(os.path.join(source, "examples", "clean-news.txt"))
    driver.find_element(By.ID, "clear-button").click()
    driver.find_element(By.ID, "file-input").send_keys(clean_path)
    wait.until(lambda d: d.find_element(By.ID, "status").text.startswith(("Checked", "Error")))
    clean = open(clean_path, encoding="utf-8").read()
    expect(driver.find_element(By.ID, "input-text").get_attribute("value") == clean, "the file was not loaded")
    clean_expected = json.loads(cli("check", "--json", "--offsets", "utf16", text=clean))
    expect(marks() == [[m["spun"], m["replacements"][0]["value"]] for m in clean_expected["matches"]],
           "the opened file's highlights differ from check --json")

    # Unusual wording (a word pair clean English almost never joins; no
    # original to offer): drawn as a review span whose tip says so.
    unusual_text = spun + "\nThe firm's secretary normal instructed the navy cooperation on Tuesday.\n"
    check_text(unusual_text, typed=False)
    unusual_expected = json.loads(cli("check", "--json", "--offsets", "utf16", text=unusual_text))
    want_unusual = review_wanted(unusual_expected)
    expect(review_marks() == want_unusual, f"review spans drawn {review_marks()} != check --json {want_unusual}")
    unusual = [m for m in driver.find_elements(By.CSS_SELECTOR, "#view-spun mark.review")
               if not m.get_attribute("data-original")]
    expect(unusual, f"no unusual-wording span drawn (check --json review: {unusual_expected['review']})")
    if unusual:
        tip = tip_on_focus(unusual[0])
        pct = f"{round(100 * float(unusual[0].get_attribute('data-confidence')))}%"
        expect("unusual wording" in tip and pct in tip, f"unusual-wording tip {tip!r}")
        driver.save_screenshot(os.path.join(out_dir, "serve-page-review.png"))

    # Emoji (2 UTF-16 units) and CJK before the spun words: the same spans.
    prefixed = "😀 中文の記事 🎉 " + spun
    check_text(prefixed, typed=False)
    expect(marks() == want, f"with emoji and CJK: {marks()} != {want}")
    expect(review_marks() == want_review, f"with emoji and CJK: review {review_marks()} != {want_review}")
finally:
    if driver:
        driver.quit()
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        failures.append("the server did not stop within 20 s of SIGTERM")
    if server.returncode not in (0, None):
        failures.append(f"the server exited with {server.returncode}")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok: page spans and restored text match the CLI; screenshot", os.path.join(out_dir, "serve-page.png"))
