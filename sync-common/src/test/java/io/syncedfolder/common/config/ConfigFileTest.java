package io.syncedfolder.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigFileTest {
    @TempDir
    Path temp;

    @Command(name = "demo")
    static final class Demo implements Runnable {
        @Option(names = "--home", defaultValue = "${env:HOME}")
        String home;

        @Option(names = "--folder", defaultValue = "./synced")
        Path folder;

        @Option(names = "--interval", defaultValue = "5")
        int interval;

        @Option(names = "--max-delete-percent", defaultValue = "50")
        int maxDeletePercent;

        @Option(names = "--once")
        boolean once;

        @Option(names = ConfigFile.OPTION)
        Path config;

        @Override
        public void run() {
        }
    }

    private Demo parse(String yaml, String... args) throws IOException {
        Path file = temp.resolve("conf/demo.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        Demo demo = new Demo();
        CommandLine commandLine = new CommandLine(demo);
        commandLine.setDefaultValueProvider(ConfigFile.load(file, commandLine.getCommandSpec(), System::getenv));
        commandLine.parseArgs(args);
        return demo;
    }

    @Test
    void theFileFillsInWhatNoFlagGives() throws IOException {
        Demo demo = parse("interval: 7\nmax-delete-percent: 20\nonce: true\n");
        assertThat(demo.interval).isEqualTo(7);
        assertThat(demo.maxDeletePercent).isEqualTo(20);
        assertThat(demo.once).isTrue();
    }

    @Test
    void aFlagBeatsTheFileAndUnsetOptionsKeepTheirDefault() throws IOException {
        Demo demo = parse("interval: 7\n", "--interval", "9");
        assertThat(demo.interval).isEqualTo(9);
        assertThat(demo.maxDeletePercent).isEqualTo(50);
    }

    @Test
    void anEnvironmentVariableBeatsTheFile() throws IOException {
        assertThat(System.getenv("HOME")).as("this test needs HOME set").isNotBlank();
        assertThat(parse("home: /elsewhere\n").home).isEqualTo(System.getenv("HOME"));
    }

    @Test
    void relativePathsAreTakenFromTheFilesFolder() throws IOException {
        assertThat(parse("folder: ../synced\n").folder).isEqualTo(temp.resolve("synced").toAbsolutePath());
        assertThat(parse("folder: /abs/olute\n").folder).isEqualTo(Path.of("/abs/olute"));
        assertThat(parse("folder: ~/synced\n").folder).isEqualTo(Path.of(System.getProperty("user.home"), "synced"));
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        assertThat(parse("# nothing yet\n").interval).isEqualTo(5);
    }

    @Test
    void mistakesAreNamedWithTheFile() {
        assertThatThrownBy(() -> parse("intervall: 3\n"))
                .hasMessageContaining("demo.yaml").hasMessageContaining("unknown option 'intervall'")
                .hasMessageContaining("interval, max-delete-percent");
        assertThatThrownBy(() -> parse("interval: [1, 2]\n")).hasMessageContaining("'interval' must have a single value");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("expected lines of 'option: value'");
        assertThatThrownBy(() -> parse("interval: : :\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigFile.load(temp.resolve("none.yaml"), new CommandLine(new Demo()).getCommandSpec(),
                System::getenv)).hasMessageContaining("none.yaml: no such file");
    }

    @Test
    void theConfigOptionIsFoundInEitherSpelling() {
        assertThat(ConfigFile.pathIn(new String[] {"--once", "--config", "a.yaml"})).isEqualTo(Path.of("a.yaml"));
        assertThat(ConfigFile.pathIn(new String[] {"--config=b.yaml"})).isEqualTo(Path.of("b.yaml"));
        assertThat(ConfigFile.pathIn(new String[] {"--once"})).isNull();
        assertThat(ConfigFile.pathIn(new String[] {"--", "--config", "c"})).isNull();
    }
}
