package io.syncedfolder.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Drives the web page in real headless Chromium against a real server on a free loopback port, with files
 * committed through the API: signing in, browsing, downloading, the status view, and the layout on a wide and a
 * narrow screen (screenshots under {@code target/screenshots/}).
 */
class WebPageTest {
    private static final String TOKEN = "web-page-test-token";
    private static final byte[] README = "# Notes\nShared between laptop and desktop.\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPORT = "quarterly report\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] GREETING = "Grüße aus Köln\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PHOTO = new byte[300 * 1024];

    @TempDir
    static Path downloads;
    @TempDir
    static Path profile;
    private static Browser browser;

    @TempDir
    Path data;
    private SyncServer server;
    private WebPage page;

    @BeforeAll
    static void startBrowser() {
        new Random(42).nextBytes(PHOTO);
        browser = Browser.start(downloads, profile);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        clear(downloads);
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        ApiSeed seed = new ApiSeed(server.baseUrl(), TOKEN, "laptop");
        seed.file("README.md", README);
        seed.folder("docs");
        seed.file("docs/report.txt", REPORT);
        seed.folder("docs/plans");
        seed.file("docs/plans/roadmap.txt", "ship it\n".getBytes(StandardCharsets.UTF_8));
        // No folder entry for "photos": a folder the index only knows from the paths inside it.
        seed.file("photos/cat.bin", PHOTO, 100 * 1024);
        seed.file("Grüße.txt", GREETING);
        seed.file("gone.txt", REPORT);
        seed.delete("gone.txt");
        browser.resize(Browser.WIDE);
        browser.consoleErrors();
        page = new WebPage(browser, server.baseUrl(), downloads);
    }

    @AfterEach
    void stopServer() {
        try {
            assertThat(browser.consoleErrors()).as("errors in the page's console").isEmpty();
        } finally {
            server.close();
        }
    }

    @Test
    void aWrongTokenIsRefusedAndTheRightOneListsTheTopFolder() {
        page.open("");

        page.submitToken("not-the-token");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        assertThat(page.find("#signin-error").getText()).isEqualTo("The server did not accept that token.");
        assertThat(page.find("#files").isDisplayed()).isFalse();
        // The refused sign-in's 401 is the one console error the page may have.
        browser.consoleErrors();

        page.signIn(TOKEN);
        assertThat(page.names("file-list")).containsExactly("docs", "photos", "Grüße.txt", "README.md");
        assertThat(page.row("file-list", "README.md").findElement(By.cssSelector(".meta")).getText())
                .startsWith(README.length + " B · 2026-11-2").endsWith(" · laptop");
        assertThat(page.find("#token").getAttribute("value")).isEmpty();
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(TOKEN);
        assertThat(page.script("return sessionStorage.getItem('syncedFolder.token')")).isEqualTo(TOKEN);
    }

    @Test
    void browsesIntoFoldersAndBackByBreadcrumbsAndHistory() {
        page.open("");
        page.signIn(TOKEN);

        page.openFolder("docs");
        assertThat(page.names("file-list")).containsExactly("plans", "report.txt");
        page.openFolder("plans");
        assertThat(page.names("file-list")).containsExactly("roadmap.txt");
        assertThat(browser.driver.findElements(By.cssSelector("#breadcrumbs li")).stream().map(WebElement::getText))
                .containsExactly("Home", "docs", "plans");

        page.find("#breadcrumbs a", "docs").click();
        page.waitForFolder("docs");
        assertThat(page.names("file-list")).containsExactly("plans", "report.txt");

        browser.driver.navigate().back();
        page.waitForFolder("plans");
        assertThat(page.names("file-list")).containsExactly("roadmap.txt");

        page.find("#breadcrumbs a", "Home").click();
        page.waitForFolder("Home");
        page.openFolder("photos");
        assertThat(page.names("file-list")).containsExactly("cat.bin");
    }

    @Test
    void aFolderThatIsNotThereSaysSo() {
        page.open("#/files/nowhere");
        page.signIn(TOKEN);

        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("files-error")));
        assertThat(page.find("#files-error").getText()).isEqualTo("the server has no folder \"nowhere\"");
        assertThat(page.names("file-list")).isEmpty();
        // The 404 is expected here.
        browser.consoleErrors();
    }

    @Test
    void downloadsFilesWithTheTokenInAHeaderNotTheUrl() throws IOException {
        page.open("");
        page.signIn(TOKEN);
        page.openFolder("photos");

        page.row("file-list", "cat.bin").findElement(By.cssSelector("button.download")).click();

        assertThat(page.downloaded("cat.bin", PHOTO.length)).isEqualTo(PHOTO);
        assertThat(page.waitForNotice("Downloaded cat.bin")).isEqualTo("Downloaded cat.bin (300 KB).");

        page.find("#breadcrumbs a", "Home").click();
        page.waitForFolder("Home");
        page.row("file-list", "Grüße.txt").findElement(By.cssSelector("button.download")).click();
        assertThat(page.downloaded("Grüße.txt", GREETING.length)).isEqualTo(GREETING);
    }

    @Test
    void showsTheServerStatus() {
        page.open("");
        page.signIn(TOKEN);

        page.find("#mainnav a[data-section='status']").click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status-summary"), "Health"));

        assertThat(page.fact("status-summary", "Health")).isEqualTo("ok");
        assertThat(page.fact("status-summary", "Version")).isEqualTo(ServerVersion.get());
        assertThat(page.fact("status-summary", "Files")).isEqualTo("5");
        assertThat(page.fact("status-summary", "Folders")).isEqualTo("2");
        assertThat(page.fact("status-summary", "Deleted paths remembered")).isEqualTo("1");
        assertThat(page.fact("status-summary", "Latest change")).isEqualTo("version 9");
        assertThat(page.fact("status-stats", "Accepted commits")).isEqualTo("9");
        assertThat(page.find("#mainnav a[aria-current='page']").getText()).isEqualTo("Status");
    }

    @Test
    void aReloadKeepsTheSessionAndSigningOutForgetsTheToken() {
        page.open("");
        page.signIn(TOKEN);
        page.openFolder("docs");

        browser.driver.navigate().refresh();
        page.waitForFolder("docs");
        assertThat(page.names("file-list")).containsExactly("plans", "report.txt");

        page.find("#signout").click();
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(page.script("return sessionStorage.getItem('syncedFolder.token')")).isNull();
        assertThat(page.find("#files").isDisplayed()).isFalse();
        assertThat(page.find("#mainnav").isDisplayed()).isFalse();
    }

    @Test
    void fitsAWideAndANarrowScreen() throws IOException {
        page.open("");
        browser.screenshot("signin-wide");
        page.signIn(TOKEN);
        page.openFolder("docs");
        browser.screenshot("files-wide");
        WebElement wideRow = page.row("file-list", "report.txt");
        assertThat(wideRow.findElement(By.cssSelector("button.download")).getLocation().getY())
                .as("on a wide screen a row's buttons sit beside its name")
                .isLessThan(wideRow.findElement(By.cssSelector(".name")).getLocation().getY() + 20);

        browser.resize(Browser.NARROW);
        browser.wait.until(driver -> page.row("file-list", "report.txt").findElement(By.cssSelector(".name"))
                .getSize().getWidth() < Browser.NARROW.getWidth());
        browser.screenshot("files-narrow");
        WebElement narrowRow = page.row("file-list", "report.txt");
        assertThat(narrowRow.findElement(By.cssSelector("button.download")).getLocation().getY())
                .as("on a narrow screen a row's buttons go under its name")
                .isGreaterThan(narrowRow.findElement(By.cssSelector(".name")).getLocation().getY() + 20);
        assertThat(page.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing sticks out sideways").isEqualTo(true);

        page.find("#mainnav a[data-section='status']").click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status-summary"), "Health"));
        browser.screenshot("status-narrow");
        assertThat(page.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        assertThat(Browser.SCREENSHOTS.resolve("files-narrow.png")).isNotEmptyFile();
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }
}
