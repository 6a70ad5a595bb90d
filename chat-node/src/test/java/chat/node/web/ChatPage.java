package chat.node.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The chat page of one node in one browser, in the words of the person using it: sign in, join, write, read.
 */
final class ChatPage {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final By OPEN_VIEW = By.cssSelector("#views section.view:not([hidden])");
    private static final By MESSAGE_TEXTS = By.cssSelector("#views section.view:not([hidden]) li.message p.text");

    private final WebDriver driver;
    private final String url;
    private final WebDriverWait wait;

    ChatPage(WebDriver driver, int port) {
        this.driver = driver;
        this.url = "http://127.0.0.1:" + port + "/";
        this.wait = waiting();
    }

    /** Loads the page (signed in again from the tab's session storage, if it was signed in before). */
    ChatPage open() {
        driver.get(url);
        return this;
    }

    /** Leaves the page for another site, as someone who closes it for a while. */
    void goElsewhere() {
        driver.get("about:blank");
    }

    /** Cuts the browser off the network, as a train entering a tunnel does, or lets it back on. */
    void setOffline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        ((HasNetworkConditions) driver).setNetworkConditions(conditions);
    }

    String awaitStatus(String state) {
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
        return driver.findElement(By.id("status")).getText();
    }

    ChatPage signIn(String user) {
        open();
        driver.findElement(By.id("name-input")).sendKeys(user, Keys.ENTER);
        awaitConnected();
        return this;
    }

    /** Signs in where the node hands out no dev tokens: the page then asks for a token to paste. */
    ChatPage signInWithToken(String user, String token) {
        open();
        driver.findElement(By.id("name-input")).sendKeys(user, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input"))).sendKeys(token);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        awaitConnected();
        return this;
    }

    String signedInAs() {
        return driver.findElement(By.id("me-name")).getText();
    }

    void awaitConnected() {
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "online"));
    }

    String nodeShown() {
        return driver.findElement(By.id("node-host")).getText();
    }

    void join(String room) {
        driver.findElement(By.id("join-input")).sendKeys(room, Keys.ENTER);
        awaitJoined(room);
    }

    /** Creates a private room of that name and waits until it is open and joined. */
    void createPrivateRoom(String name) {
        driver.findElement(By.id("private-input")).sendKeys(name, Keys.ENTER);
        awaitJoined("p:" + name);
    }

    /** Starts a group with these users and returns its room once it is open and joined. */
    String startGroup(String... users) {
        driver.findElement(By.id("group-input")).sendKeys(String.join(", ", users), Keys.ENTER);
        WebElement view = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#views section.view[data-room^='g:'][data-joined='true']")));
        return view.getDomAttribute("data-room");
    }

    /** The members the panel lists for the open conversation, as shown ("alice (owner)"). */
    List<String> members() {
        return driver.findElements(By.cssSelector("#member-list li .member-name")).stream()
                .map(WebElement::getText).toList();
    }

    void awaitMembers(List<String> expected) {
        waiting().withMessage(() -> "members " + expected + " on " + url + ", shown: " + members())
                .until(d -> members().equals(expected));
    }

    boolean canAddMembers() {
        return driver.findElement(By.id("add-member-form")).isDisplayed();
    }

    void addMember(String user) {
        driver.findElement(By.id("add-member-input")).sendKeys(user, Keys.ENTER);
    }

    void removeMember(String user) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#member-list li[data-user='" + user + "'] button.remove"))).click();
    }

    void openDirect(String user, String room) {
        driver.findElement(By.id("dm-input")).sendKeys(user, Keys.ENTER);
        awaitJoined(room);
    }

    /** Waits until the room is on screen and the node has acknowledged the join. */
    void awaitJoined(String room) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#views section.view[data-room='" + room + "'][data-joined='true']")));
    }

    /** Waits until the node has acknowledged the join of a room, on screen or not. */
    void awaitJoinedOffScreen(String room) {
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#views section.view[data-room='" + room + "'][data-joined='true']")));
    }

    /** Opens a conversation from the sidebar by its title, such as {@code #room} or {@code @user}. */
    void select(String title) {
        wait.until(d -> sidebarEntry(title)).click();
    }

    /** Waits until the sidebar shows this unread count next to a conversation (none for 0). */
    void awaitUnread(String title, int count) {
        waiting().withMessage(() -> count + " unread in " + title + " on " + url + ", shown: " + unread(title))
                .until(d -> unread(title) == count);
    }

    /** The unread count the sidebar shows next to a conversation, 0 when it shows none; -1 when it is not listed. */
    int unread(String title) {
        WebElement entry = sidebarEntry(title);
        if (entry == null) {
            return -1;
        }
        List<WebElement> badges = entry.findElements(By.className("unread"));
        return badges.isEmpty() ? 0 : Integer.parseInt(badges.getFirst().getText().replaceAll("\\D", ""));
    }

    /** The texts of the user's own messages in the open conversation that show "Seen" under them. */
    List<String> seenUnder() {
        return driver.findElements(By.cssSelector("#views section.view:not([hidden]) li.message.mine")).stream()
                .filter(message -> !message.findElements(By.className("seen")).isEmpty())
                .map(message -> message.findElement(By.className("text")).getText())
                .toList();
    }

    /** Waits until "Seen" shows under this message of the user's, the other person's read receipt. */
    void awaitSeenUnder(String text) {
        waiting().withMessage(() -> "'Seen' under '" + text + "' on " + url + ", under: " + seenUnder())
                .until(d -> seenUnder().equals(List.of(text)));
    }

    void type(String text) {
        composer().sendKeys(text);
    }

    void pressEnter() {
        composer().sendKeys(Keys.ENTER);
    }

    void send(String text) {
        type(text);
        pressEnter();
    }

    String composerText() {
        return composer().getDomProperty("value");
    }

    /** The texts of the messages of the open conversation, top to bottom. */
    List<String> messages() {
        return driver.findElements(MESSAGE_TEXTS).stream().map(WebElement::getText).toList();
    }

    void awaitMessage(String text) {
        waiting().withMessage(() -> "message '" + text + "' on " + url + ", shown: " + messages())
                .until(d -> messages().contains(text));
    }

    void awaitMessageCount(int count) {
        waiting().withMessage(() -> count + " messages on " + url + ", shown: " + messages().size() + ", at the top: "
                        + driver.findElement(OPEN_VIEW).findElement(By.className("edge")).getText())
                .until(d -> messages().size() == count);
    }

    /** The people the open conversation shows online, in the page's order. */
    List<String> online() {
        return driver.findElements(By.cssSelector("#online:not([hidden]) #online-list li[data-user]")).stream()
                .map(person -> person.getDomAttribute("data-user"))
                .toList();
    }

    void awaitOnline(List<String> users) {
        waiting().withMessage(() -> "online " + users + " on " + url + ", shown: " + online())
                .until(d -> online().equals(users));
    }

    /** Waits until the room list shows this many people online next to a room. */
    void awaitOnlineCount(String title, int count) {
        waiting().withMessage(() -> count + " online in " + title + " on " + url).until(d -> {
            WebElement entry = sidebarEntry(title);
            List<WebElement> badges = entry == null ? List.of() : entry.findElements(By.className("online-count"));
            return !badges.isEmpty() && String.valueOf(count).equals(badges.getFirst().getDomAttribute("data-online"));
        });
    }

    String awaitComposerError() {
        return awaitText(By.id("composer-error"));
    }

    String awaitTyping() {
        return awaitText(By.id("typing"));
    }

    String awaitNotice(String text) {
        By notices = By.cssSelector("#views section.view:not([hidden]) li.notice");
        wait.until(d -> d.findElements(notices).stream().anyMatch(n -> n.getText().equals(text)));
        return text;
    }

    /** The line that marks where the messages that came while the page was away begin. */
    String newMessagesDivider() {
        return awaitText(By.cssSelector("#views section.view:not([hidden]) li.divider"));
    }

    /** The texts of the messages below the divider, top to bottom. */
    List<String> messagesAfterDivider() {
        return driver.findElements(By.cssSelector("#views section.view:not([hidden]) li.divider ~ li.message p.text"))
                .stream().map(WebElement::getText).toList();
    }

    /** Edits one of the reader's own messages in place: Edit, the new text, Enter. */
    void editMessage(String text, String newText) {
        WebElement message = ownMessage(text);
        message.findElement(By.cssSelector("button[aria-label='Edit your message']")).click();
        WebElement input = wait.until(d -> message.findElement(By.cssSelector("textarea.edit-text")));
        input.clear();
        input.sendKeys(newText, Keys.ENTER);
    }

    /** Deletes one of the reader's own messages: Delete, then the confirmation. */
    void deleteMessage(String text) {
        WebElement message = ownMessage(text);
        message.findElement(By.cssSelector("button[aria-label='Delete your message']")).click();
        wait.until(d -> message.findElement(By.cssSelector("button.confirm-delete"))).click();
    }

    /** Messages of the open conversation shown with the "(edited)" mark. */
    int editedMarks() {
        return driver.findElements(By.cssSelector("#views section.view:not([hidden]) li.message .edited")).size();
    }

    /** Messages of the open conversation that offer Edit and Delete (the reader's own, not deleted). */
    int changeableMessages() {
        return driver.findElements(By.cssSelector("#views section.view:not([hidden]) li.message .actions")).size();
    }

    private WebElement ownMessage(String text) {
        return waiting().withMessage(() -> "own message '" + text + "' on " + url).until(d -> d.findElements(
                        By.cssSelector("#views section.view:not([hidden]) li.message.mine")).stream()
                .filter(item -> item.findElement(By.cssSelector("p.text")).getText().equals(text))
                .findFirst()
                .orElse(null));
    }

    String awaitAnnouncement() {
        return awaitText(By.cssSelector("#announcements .announcement-text"));
    }

    /** Scrolls the open conversation to its top, where earlier messages load. */
    void scrollToTop() {
        WebElement scroller = driver.findElement(OPEN_VIEW).findElement(By.className("scroller"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollTop = 0", scroller);
    }

    int imagesInConversations() {
        return driver.findElements(By.cssSelector("#views img")).size();
    }

    boolean alertShown() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the screenshot " + file, e);
        }
    }

    /** A wait that retries when the page re-rendered an element between finding and reading it. */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private WebElement composer() {
        return wait.until(ExpectedConditions.elementToBeClickable(By.id("composer-text")));
    }

    private WebElement sidebarEntry(String title) {
        return driver.findElements(By.cssSelector(".conversations button.open")).stream()
                .filter(button -> button.findElement(By.className("name")).getText().equals(title))
                .findFirst()
                .orElse(null);
    }

    private String awaitText(By locator) {
        return wait.until(d -> d.findElements(locator).stream()
                .map(WebElement::getText)
                .filter(text -> !text.isBlank())
                .findFirst()
                .orElse(null));
    }
}
