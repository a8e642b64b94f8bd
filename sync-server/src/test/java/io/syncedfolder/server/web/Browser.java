package io.syncedfolder.server.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Starts the system's headless Chromium through its ChromeDriver, both from Debian's packages, for the web page's
 * end-to-end tests. Nothing is downloaded: both paths are given, so Selenium Manager never runs.
 */
final class Browser implements AutoCloseable {
    static final Dimension WIDE = new Dimension(1280, 860);
    static final Dimension NARROW = new Dimension(390, 844);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("SYNC_TEST_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER =
            System.getenv().getOrDefault("SYNC_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    final WebDriverWait wait;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.pollingEvery(Duration.ofMillis(50));
    }

    /**
     * Starts a browser that saves downloads to {@code downloads} and keeps its profile in {@code profile}.
     *
     * @throws IllegalStateException if Chromium or ChromeDriver is not installed, saying how to install them
     */
    static Browser start(Path downloads, Path profile) {
        for (String program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IllegalStateException("The web page's browser tests need " + program + ", which is not"
                        + " installed. Install Debian's Chromium and its driver: apt-get install -y chromium"
                        + " chromium-driver (.ci/run does this when they are missing), or point SYNC_TEST_CHROMIUM"
                        + " and SYNC_TEST_CHROMEDRIVER at them.");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // As root in a container Chromium needs --no-sandbox; the rest keep it from reaching out to the
        // network (closed here) at every start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + WIDE.getWidth() + "," + WIDE.getHeight());
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false,
                "download.directory_upgrade", true,
                "safebrowsing.enabled", false));
        // The page's console, so a test can check that nothing failed in it (a script error, a blocked resource).
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of(
                "behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));
        return new Browser(driver);
    }

    /** Returns the page's console messages at level SEVERE since the last call: script errors, refused loads. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves what the browser shows now as {@code target/screenshots/<name>.png}, for a person to look at. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
