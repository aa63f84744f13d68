package dev.quill.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine on the build machines, so this checks the image definition against the
 * build instead: the base image's Spark version is the pom's, the copied jar is the shade plugin's
 * output, and every path the compose file uses exists in the image or the repository.
 */
class DockerImageConsistencyTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static String read(String path) throws IOException {
    return Files.readString(ROOT.resolve(path));
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }

  @Test
  void dockerfile_baseImage_matchesPomSparkAndScalaVersions() throws IOException {
    String pom = read("pom.xml");
    String from = group(read("docker/Dockerfile"), "(?m)^FROM spark:(\\S+)");
    assertEquals(group(pom, "<spark.version>([^<]+)</spark.version>") + "-scala" + group(pom,
        "<scala.binary.version>([^<]+)</scala.binary.version>") + "-java17-ubuntu", from);
  }

  @Test
  void dockerfile_copiedJar_isTheShadedJarTheBuildWrites() throws IOException {
    String shadeOut = group(read("spark-jobs/pom.xml"), "<outputFile>\\$\\{project.build.directory}/([^<]+\\.jar)</outputFile>");
    String dockerfile = read("docker/Dockerfile");
    assertTrue(dockerfile.contains("COPY spark-jobs/target/" + shadeOut + " /opt/quill/spark-jobs/target/" + shadeOut), dockerfile);
    String compose = read("docker/compose.yaml");
    assertTrue(compose.contains("\"/opt/quill/spark-jobs/target/" + shadeOut + "\""), compose);
  }

  @Test
  void compose_confPaths_existInRepositoryAndAreCopied() throws IOException {
    String dockerfile = read("docker/Dockerfile");
    assertTrue(dockerfile.contains("COPY conf/ /opt/quill/conf/") && dockerfile.contains("COPY bin/ /opt/quill/bin/"));
    Matcher m = Pattern.compile("/opt/quill/(conf/[\\w.-]+)").matcher(read("docker/compose.yaml"));
    int found = 0;
    while (m.find()) {
      assertTrue(Files.isRegularFile(ROOT.resolve(m.group(1))), m.group(1) + " is used by compose.yaml but missing");
      found++;
    }
    assertEquals(2, found, "compose.yaml should use conf/spark-defaults.conf and conf/demo.yaml");
    assertTrue(read("conf/spark-defaults.conf").contains("dev.quill.spark.QuillKryoRegistrator"));
  }
}
