// Runs one OpenSearch 2.19 node from the Maven Central jars, with no build step:
//
//   java -Xms512m -Xmx512m [-Dshop.log4j2=infra/stack/opensearch-log4j2.properties] \
//        -cp '.stack/opensearch/lib/*' infra/stack/Launcher.java HOME [key=value ...]
//
// The jars on Maven Central carry no plugin descriptors, so the tarball's
// plugins/ and modules/ layout cannot be rebuilt; instead the plugins are handed
// to Node's protected constructor straight from the classpath.

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

public class Launcher {

    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // HTTP and transport; core has no network layer of its own
        CommonAnalysisPlugin.class,  // english stemmer, synonym_graph, edge_ngram ...
        PainlessPlugin.class,        // update and script_score scripts
        MapperExtrasPlugin.class);   // search_as_you_type, scaled_float, rank_feature

    // Used when -Dshop.log4j2 is not given; LogConfigurator refuses to start without a file.
    static final String DEFAULT_LOG4J2 = String.join("\n",
        "status = error",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %enc{%m}{CRLF}%notEmpty{ => %throwable{separator( | )}}%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        "");

    // Node's full constructor is protected; this is the only way to pass classpath plugins.
    static final class ShopNode extends Node {
        ShopNode(Environment env) {
            super(env, PLUGINS, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java -cp 'lib/*' Launcher.java HOME [key=value ...]");
            System.exit(2);
        }
        // The node logs while it shuts down; log4j's own hook would stop logging first
        // (the stock jvm.options sets these two as well).
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");

        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        // plugins/ and modules/ stay empty (plugins come from the classpath); they keep the
        // layout of a stock install for tools that look there.
        for (String dir : List.of("config", "plugins", "modules", "data", "logs")) {
            Files.createDirectories(home.resolve(dir));
        }
        // Rewritten on every start so the repo's file stays the single source of truth.
        Path log4j2 = home.resolve("config/log4j2.properties");
        String log4j2Source = System.getProperty("shop.log4j2");
        if (log4j2Source != null) {
            Files.copy(Path.of(log4j2Source), log4j2, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(log4j2, DEFAULT_LOG4J2);
        }

        Settings.Builder settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "shop")
            .put("node.name", "shop-node-1")
            .put("network.host", "127.0.0.1")
            .put("http.port", "9200")
            .put("transport.port", "9300")
            // One node elects itself; no cluster bootstrapping or peer discovery.
            .put("discovery.type", "single-node");
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("expected key=value, got: " + args[i]);
                System.exit(2);
            }
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }

        // configure() insists on it: it turns log4j's own config errors into a startup failure.
        LogConfigurator.registerErrorListener();
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings.build(), Map.of(), home.resolve("config"), () -> "shop-node-1");
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env);

        Node node = new ShopNode(env);
        // OpenSearch's threads are all daemons: without this latch the JVM would exit after start().
        CountDownLatch keepAlive = new CountDownLatch(1);
        // Runs on SIGTERM/SIGINT: flushes and closes shards so the next start needs no recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(10, TimeUnit.SECONDS)) {
                    LogManager.getLogger(Launcher.class).warn("node did not stop within 10 s");
                }
            } catch (Exception e) {
                LogManager.getLogger(Launcher.class).error("failed to close the node", e);
            } finally {
                keepAlive.countDown();
            }
        }, "shop-node-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            // exit() runs the hook above, which closes whatever start() had opened.
            LogManager.getLogger(Launcher.class).error("failed to start the node", e);
            System.exit(1);
        }
        keepAlive.await();
    }
}
