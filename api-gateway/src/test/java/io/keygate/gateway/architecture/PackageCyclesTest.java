package io.keygate.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages form a tree: features depend on each other without cycles, and none of
 * them reaches back into the root package, which only assembles them ({@code GatewayApp},
 * {@code ApiModule}, {@code Main}).
 */
class PackageCyclesTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.keygate.gateway");

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.keygate.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void noFeatureImportsTheRootPackage() {
        noClasses().that().resideInAPackage("io.keygate.gateway.*..")
                .should().dependOnClassesThat().resideInAPackage("io.keygate.gateway")
                .because("the root package assembles the features; a feature importing it closes a cycle through every package")
                .check(GATEWAY);
    }
}
