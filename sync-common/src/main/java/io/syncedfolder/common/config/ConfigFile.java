package io.syncedfolder.common.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.syncedfolder.common.SecretFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from a YAML file given with {@code --config FILE}: one key per long option name without its
 * dashes ({@code server: http://…}, {@code max-delete-percent: 20}). Precedence: a flag on the command line,
 * then the option's environment variable, then the file, then the built-in default. Relative paths in the file
 * are taken relative to the file's folder, so a config file works from any working directory; {@code ~/} is the
 * user's home folder.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {
    public static final String OPTION = "--config";

    private final Path file;
    private final Map<String, String> values;
    private final Function<String, String> environment;

    private ConfigFile(Path file, Map<String, String> values, Function<String, String> environment) {
        this.file = file;
        this.values = values;
        this.environment = environment;
    }

    /** Returns the value of {@code --config FILE} or {@code --config=FILE} among {@code args}, or null. */
    public static Path pathIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(OPTION + "=")) {
                return Path.of(args[i].substring(OPTION.length() + 1));
            }
            if (args[i].equals("--")) {
                break;
            }
        }
        return null;
    }

    /**
     * Executes {@code commandLine} with {@code args}, taking option defaults from the file {@code --config} names,
     * if one does: a file that cannot be used is bad usage (exit code 2, one line on stderr), and a token in a file
     * others may read gets a warning.
     *
     * @param program the command's name, which starts each line it prints
     */
    public static int execute(CommandLine commandLine, String program, String... args) {
        Path config = pathIn(args);
        if (config != null) {
            PrintWriter err = commandLine.getErr();
            try {
                ConfigFile file = load(config, commandLine.getCommandSpec(), System::getenv);
                if (file.has("token") && SecretFiles.readableByOthers(config)) {
                    err.println(program + ": warning: " + config + " holds the token and others may read it; "
                            + "run 'chmod 600 " + config + "'");
                }
                commandLine.setDefaultValueProvider(file);
            } catch (InvalidConfigException e) {
                err.println(program + ": " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
        return commandLine.execute(args);
    }

    /**
     * Reads {@code file} for the options of {@code spec} (and its subcommands).
     *
     * @throws InvalidConfigException if the file cannot be read, is not a YAML map of plain values, or names an
     *                                option the command does not have
     */
    public static ConfigFile load(Path file, CommandSpec spec, Function<String, String> environment) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(file, "no such file");
        } catch (JacksonException e) {
            throw new InvalidConfigException(file, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException(file, e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(file, Map.of(), environment);
        }
        if (!root.isObject()) {
            throw new InvalidConfigException(file, "expected lines of 'option: value', e.g. 'folder: ./synced'");
        }
        Set<String> known = optionKeys(spec);
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey())) {
                throw new InvalidConfigException(file, "unknown option '" + field.getKey() + "'; the options are: "
                        + String.join(", ", known));
            }
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new InvalidConfigException(file, "'" + field.getKey() + "' must have a single value");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return new ConfigFile(file, values, environment);
    }

    /** True if the file gives a value for {@code key} (a long option name without dashes). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Path file() {
        return file;
    }


    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String value = values.get(key(option));
        if (value == null || environmentSets(option)) {
            return null; // the built-in default (or the environment variable it names) applies
        }
        if (option.type() == Path.class) {
            Path relativeTo = file.toAbsolutePath().getParent();
            if (value.equals("~") || value.startsWith("~/")) {
                relativeTo = Path.of(System.getProperty("user.home"));
                value = value.equals("~") ? "." : value.substring(2);
            }
            return relativeTo.resolve(value).normalize().toString();
        }
        return value;
    }

    /** An option whose built-in default is {@code ${env:NAME}} takes NAME from the environment before the file. */
    private boolean environmentSets(OptionSpec option) {
        // The annotation as written: picocli hands out the default only after it has filled in ${env:…}.
        String declared = option.userObject() instanceof Field field && field.isAnnotationPresent(CommandLine.Option.class)
                ? field.getAnnotation(CommandLine.Option.class).defaultValue() : null;
        if (declared == null || !declared.startsWith("${env:") || !declared.endsWith("}")) {
            return false;
        }
        String name = declared.substring("${env:".length(), declared.length() - 1);
        String fromEnvironment = environment.apply(name);
        return fromEnvironment != null && !fromEnvironment.isEmpty();
    }

    private static Set<String> optionKeys(CommandSpec spec) {
        Set<String> keys = new TreeSet<>();
        collect(spec, keys);
        return keys;
    }

    private static void collect(CommandSpec spec, Set<String> keys) {
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.versionHelp() && !option.longestName().equals(OPTION)) {
                keys.add(key(option));
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            collect(sub.getCommandSpec(), keys);
        }
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** The config file cannot be used; the message says which file and why. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(Path file, String reason) {
            super("cannot use the config file " + file + ": " + reason);
        }
    }
}
