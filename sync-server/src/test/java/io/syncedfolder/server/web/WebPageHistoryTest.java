package io.syncedfolder.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Drives the web page's history and trash views in real headless Chromium against a real server: a file's
 * versions, downloading and restoring an earlier one, and bringing a deleted file back from the trash.
 */
class WebPageHistoryTest {
    private static final String TOKEN = "web-history-test-token";
    private static final byte[] FIRST = "first draft\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "second draft, longer\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD = "an old note I still need\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path downloads;
    @TempDir
    static Path profile;
    private static Browser browser;

    @TempDir
    Path data;
    private SyncServer server;
    private WebPage page;
    private long firstVersion;
    private long secondVersion;
    private long deletion;

    @BeforeAll
    static void startBrowser() {
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
        try (Stream<Path> files = Files.list(downloads)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        ApiSeed laptop = new ApiSeed(server.baseUrl(), TOKEN, "laptop");
        laptop.folder("docs");
        firstVersion = laptop.file("docs/notes.txt", FIRST);
        secondVersion = laptop.file("docs/notes.txt", SECOND);
        laptop.file("docs/old.txt", OLD);
        deletion = laptop.delete("docs/old.txt");
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
    void showsAFilesVersionsDownloadsAnEarlierOneAndRestoresIt() throws IOException {
        page.open("");
        page.signIn(TOKEN);
        page.openFolder("docs");
        assertThat(page.names("file-list")).containsExactly("notes.txt");

        page.row("file-list", "notes.txt").findElement(By.cssSelector("a.history")).click();
        browser.wait.until(ExpectedConditions.textToBe(By.id("history-title"), "History of docs/notes.txt"));
        page.waitUntilLoaded("version-list");
        assertThat(versions()).containsExactly(secondVersion, firstVersion);
        WebElement current = version(secondVersion);
        assertThat(current.getText()).contains("current", "by laptop", SECOND.length + " B");
        assertThat(current.findElements(By.cssSelector("button.restore"))).as("the current version").isEmpty();
        browser.screenshot("history-wide");

        version(firstVersion).findElement(By.cssSelector("button.download")).click();
        assertThat(page.downloaded("notes.txt", FIRST.length)).isEqualTo(FIRST);

        version(firstVersion).findElement(By.cssSelector("button.restore")).click();
        String notice = page.waitForNotice("Restored version " + firstVersion);
        assertThat(notice).matches("Restored version " + firstVersion + " of docs/notes.txt as version \\d+\\.");
        browser.wait.until(driver -> versions().size() == 3);
        long restored = versions().get(0);
        assertThat(restored).isGreaterThan(deletion);
        assertThat(versions()).containsExactly(restored, secondVersion, firstVersion);
        assertThat(version(restored).getText()).contains("current", FIRST.length + " B");

        page.find("#history-back").click();
        page.waitForFolder("docs");
        Files.delete(downloads.resolve("notes.txt"));
        page.row("file-list", "notes.txt").findElement(By.cssSelector("button.download")).click();
        assertThat(page.downloaded("notes.txt", FIRST.length)).as("the restored content is current").isEqualTo(FIRST);
    }

    @Test
    void listsDeletedFilesInTheTrashAndRestoresThem() throws IOException {
        page.open("");
        page.signIn(TOKEN);
        assertThat(page.names("file-list")).containsExactly("docs");

        page.find("#mainnav a[data-section='trash']").click();
        page.waitUntilLoaded("trash-list");
        assertThat(page.names("trash-list")).containsExactly("docs/old.txt");
        assertThat(page.row("trash-list", "docs/old.txt").findElement(By.cssSelector(".meta")).getText())
                .startsWith("deleted 20").contains(" · by laptop · " + OLD.length + " B");
        browser.resize(Browser.NARROW);
        browser.screenshot("trash-narrow");
        browser.resize(Browser.WIDE);

        page.row("trash-list", "docs/old.txt").findElement(By.cssSelector("button.restore")).click();
        assertThat(page.waitForNotice("Restored docs/old.txt")).matches("Restored docs/old.txt as version \\d+\\.");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trash-empty")));
        assertThat(page.names("trash-list")).isEmpty();

        page.find("#mainnav a[data-section='files']").click();
        page.waitForFolder("Home");
        page.openFolder("docs");
        assertThat(page.names("file-list")).containsExactly("notes.txt", "old.txt");
        page.row("file-list", "old.txt").findElement(By.cssSelector("button.download")).click();
        assertThat(page.downloaded("old.txt", OLD.length)).isEqualTo(OLD);
    }

    /** Returns the versions the history view lists, top to bottom. */
    private List<Long> versions() {
        return browser.driver.findElements(By.cssSelector("#version-list > li")).stream()
                .map(row -> Long.parseLong(row.getAttribute("data-version"))).toList();
    }

    private WebElement version(long version) {
        return page.find("#version-list > li[data-version='" + version + "']");
    }
}
