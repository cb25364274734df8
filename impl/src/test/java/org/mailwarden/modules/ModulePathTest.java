package org.mailwarden.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Mailwarden on the module path: api, impl and their dependencies resolve as modules in a layer of
 * their own (the test's class path is the module path), and Jakarta Mail, itself a named module,
 * finds and instantiates the {@code mailwarden} transport there.
 */
class ModulePathTest {
  private static ModuleLayer layer() {
    Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> p.toFile().exists())
        // the test classes and test-only jars stay out: only what impl requires is resolved
        .filter(p -> !p.endsWith("test-classes"))
        .toArray(Path[]::new);
    Configuration cf = ModuleLayer.boot().configuration()
        .resolve(ModuleFinder.of(entries), ModuleFinder.of(), Set.of("org.mailwarden.impl"));
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void apiAndImplResolveAsNamedModules() {
    ModuleLayer layer = layer();
    assertThat(layer.findModule("org.mailwarden")).isPresent();
    Module impl = layer.findModule("org.mailwarden.impl").orElseThrow();
    assertThat(impl.isExported("org.mailwarden.transport")).isTrue();
    assertThat(impl.isExported("org.mailwarden.bounce.parser")).isTrue();
    assertThat(impl.isExported("org.mailwarden.internal.chain")).isFalse();
  }

  @Test
  void jakartaMailInstantiatesTheTransportFromTheNamedModule() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader("org.mailwarden.impl");
    Class<?> session = loader.loadClass("jakarta.mail.Session");
    assertThat(session.getModule().getName()).isEqualTo("jakarta.mail");
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Object s = session.getMethod("getInstance", Properties.class).invoke(null, new Properties());
      Object transport = session.getMethod("getTransport", String.class).invoke(s, "mailwarden");
      assertThat(transport.getClass().getName())
          .isEqualTo("org.mailwarden.transport.MailwardenTransport");
      assertThat(transport.getClass().getModule().getName()).isEqualTo("org.mailwarden.impl");
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
