package io.keygate.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the one real Keycloak 26.7.3 of this test run (started on first use,
 * stopped when the run ends). Inject it as a {@link KeycloakServer} parameter or field.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KeycloakExtension.class)
public @interface RealKeycloak {
}
