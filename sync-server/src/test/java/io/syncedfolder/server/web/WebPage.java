package io.syncedfolder.server.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What a person does on the web page, for the browser tests: every step waits, through Selenium's explicit waits,
 * until the page shows its result.
 */
final class WebPage {
    private final Browser browser;
    private final String baseUrl;
    private final Path downloads;

    WebPage(Browser browser, String baseUrl, Path downloads) {
        this.browser = browser;
        this.baseUrl = baseUrl;
        this.downloads = downloads;
    }

    /** Opens the page at {@code hash} (e.g. {@code #/trash}) in a fresh tab state: signed out. */
    void open(String hash) {
        browser.driver.get(baseUrl + "/" + hash);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    /** Types {@code token} into the sign-in form and submits it. */
    void submitToken(String token) {
        WebElement field = find("#token");
        field.clear();
        field.sendKeys(token);
        find("#signin-button").click();
    }

    /** Signs in with {@code token} and waits until the folder it lands on is listed. */
    void signIn(String token) {
        submitToken(token);
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("signin")));
        waitUntilLoaded("file-list");
    }

    /** Waits until the list with id {@code listId} has finished loading (its view shows and is no longer busy). */
    void waitUntilLoaded(String listId) {
        browser.wait.until(driver -> {
            WebElement list = driver.findElement(By.id(listId));
            return list.getAttribute("aria-busy") == null
                    && driver.findElement(By.id(listId)).findElement(By.xpath("ancestor::section")).isDisplayed();
        });
    }

    /** Clicks the folder link {@code name} and waits until that folder is listed. */
    void openFolder(String name) {
        find("#file-list a.name", name).click();
        waitForFolder(name);
    }

    /** Waits until the breadcrumbs end in {@code name} and the listing has loaded. */
    void waitForFolder(String name) {
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#breadcrumbs [aria-current]"), name));
        waitUntilLoaded("file-list");
    }

    /** Returns the names shown in the list with id {@code listId}, in order. */
    List<String> names(String listId) {
        return browser.driver.findElements(By.cssSelector("#" + listId + " > li > .name")).stream()
                .map(WebElement::getText).toList();
    }

    /** Returns the row of {@code listId} whose name is {@code name}. */
    WebElement row(String listId, String name) {
        return browser.driver.findElements(By.cssSelector("#" + listId + " > li")).stream()
                .filter(row -> row.findElement(By.cssSelector(".name")).getText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no row \"" + name + "\" in #" + listId
                        + "; the rows are " + names(listId)));
    }

    /** Waits until the notice line says {@code text} and returns it. */
    String waitForNotice(String text) {
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), text));
        return find("#notice").getText();
    }

    /** Waits until a download named {@code name} has completely arrived, and returns its bytes. */
    byte[] downloaded(String name, long size) throws IOException {
        Path file = downloads.resolve(name);
        browser.wait.until(driver -> Files.isRegularFile(file) && sizeOf(file) == size && noPartialDownloads());
        return Files.readAllBytes(file);
    }

    private boolean noPartialDownloads() {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Returns the one element matching {@code css}. */
    WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    /** Returns the element matching {@code css} whose text is {@code text}. */
    WebElement find(String css, String text) {
        return browser.driver.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.getText().equals(text))
                .findFirst().orElseThrow(() -> new AssertionError("nothing matching " + css + " says \"" + text
                        + "\""));
    }

    /** Returns the value shown for {@code term} in the definition list {@code listId}. */
    String fact(String listId, String term) {
        List<WebElement> cells = browser.driver.findElements(By.cssSelector("#" + listId + " > *"));
        for (int i = 0; i + 1 < cells.size(); i += 2) {
            if (cells.get(i).getText().equals(term)) {
                return cells.get(i + 1).getText();
            }
        }
        throw new AssertionError("no \"" + term + "\" in #" + listId);
    }

    Object script(String javascript) {
        return browser.driver.executeScript(javascript);
    }
}
