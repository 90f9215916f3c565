"""A person's browser on `audit serve`: headless Chromium via Selenium, axe-core on each page.

`Visit` wraps one Selenium driver: it opens pages, answers question pages by clicking their
labels, checks every page it sees with axe-core (no serious or critical violation) and
saves a full-page screenshot of it, numbered in order, into the screenshot folder
(`AUDIT_SCREENSHOTS` when set, so a person can look at them; a temporary folder otherwise).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

WAIT = 60.0  # seconds: a page under a busy machine, a PDF being rendered
SERIOUS = ("serious", "critical")


@dataclass
class Visit:
    driver: WebDriver
    base: str
    axe: str
    shots: Path
    label: str  # e.g. "phone-fr": the screenshots' prefix
    seen: list[str] = field(default_factory=list)

    # --- pages ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the browser as a person does half-way (the fixture will not quit it again)."""
        self.driver.quit()
        self.driver.audit_closed = True  # type: ignore[attr-defined]

    def open(self, path: str) -> None:
        self.driver.get(path if path.startswith("http") else self.base + path)

    @property
    def path(self) -> str:
        url: str = self.driver.current_url
        return url.removeprefix(self.base)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "main") -> str:
        return self.find(css).text

    def submit(self, element: WebElement) -> None:
        """Click a submit button or a link and wait for the next page."""
        # A mark on the old page's window: gone once the next document has loaded. (Waiting
        # for the old element to go stale races with the navigation in ChromeDriver.)
        self.driver.execute_script("window.auditOldPage = true")
        element.click()
        WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return !window.auditOldPage && document.readyState === 'complete'"
            )
        )

    # --- checks -----------------------------------------------------------------------

    def check(self, name: str) -> None:
        """axe-core on the page (no serious or critical violation), then a screenshot."""
        self.screenshot(name)
        self.driver.execute_script(self.axe)
        result: dict[str, Any] = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done({violations: r.violations}),"
            " e => done({error: String(e)}));"
        )
        assert "error" not in result, f"axe-core failed on {self.path}: {result['error']}"
        serious = [v for v in result["violations"] if v["impact"] in SERIOUS]
        assert not serious, f"{name} ({self.path}):\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in serious
        )

    def screenshot(self, name: str) -> Path:
        self.seen.append(name)
        height = self.driver.execute_script(
            "return Math.max(document.documentElement.scrollHeight, window.innerHeight)"
        )
        width = self.driver.execute_script("return window.innerWidth")
        shot = self.driver.execute_cdp_cmd(  # type: ignore[attr-defined]
            "Page.captureScreenshot",
            {
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path = self.shots / f"{self.label}-{len(self.seen):02d}-{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    # --- the questionnaire --------------------------------------------------------------

    @property
    def question(self) -> str:
        """The id of the question on the page (from its URL)."""
        assert "/q/" in self.path, f"not a question page: {self.path}"
        return self.path.rstrip("/").rsplit("/", 1)[1]

    def choices(self) -> list[WebElement]:
        return self.all("input[name=value][type=radio], input[name=value][type=checkbox]")

    def checked(self) -> list[str]:
        return [c.get_attribute("value") or "" for c in self.choices() if c.is_selected()]

    def answer_with_keyboard(self) -> str:
        """Tab to the first choice, Space to pick it, Enter to send: no mouse.

        Returns the choice picked. Each focused element must show its focus.
        """
        keys = ActionChains(self.driver)
        for _ in range(40):
            keys.send_keys(Keys.TAB).perform()
            now = focused(self.driver)
            assert now["outline"] != "none" and now["width"] != "0px", f"focus not visible: {now}"
            if now["name"] == "value":
                break
        else:
            raise AssertionError("Tab never reached the question's choices")
        keys.send_keys(Keys.SPACE).perform()
        chosen = focused(self.driver)["value"]
        self.driver.execute_script("window.auditOldPage = true")
        keys.send_keys(Keys.ENTER).perform()
        WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return !window.auditOldPage && document.readyState === 'complete'"
            )
        )
        return chosen

    def answer(self, pick: Callable[[int], int] = lambda n: 0, text: str = "") -> Any:
        """Answer the question on the page (the choice `pick(count)`, or `text`) and go on.

        Returns what was chosen: a choice id, a list of ids, or the text typed.
        """
        choices = self.choices()
        chosen: Any
        if choices:
            choice = choices[pick(len(choices))]
            # Click the label, as a person does (the input itself is small on a phone).
            self.find(f"label[for='{choice.get_attribute('id')}']").click()
            value = choice.get_attribute("value")
            chosen = [value] if choice.get_attribute("type") == "checkbox" else value
        else:
            box = self.find("textarea[name=value], input[name=value]")
            box.clear()
            box.send_keys(text)
            chosen = text
        self.submit(self.find("#next"))
        return chosen


def focused(driver: WebDriver) -> dict[str, str]:
    """The focused element's name, type, value and outline (is the focus visible?)."""
    found: dict[str, str] = driver.execute_script(
        "const e = document.activeElement, s = getComputedStyle(e);"
        "return {tag: e.tagName, name: e.name || '', type: e.type || '', value: e.value || '',"
        " outline: s.outlineStyle, width: s.outlineWidth};"
    )
    return found


def wait_for_download(folder: Path, suffix: str) -> Path:
    """The file Chromium downloaded into `folder` (once it is complete)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        partial = [p for p in folder.iterdir() if p.name.endswith(".crdownload")]
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")
