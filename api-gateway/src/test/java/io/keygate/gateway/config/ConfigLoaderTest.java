package io.keygate.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.OrgRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String ONE_ISSUER = """
            issuers:
              - name: keygate
                issuer: http://localhost:8180/realms/keygate
                jwks: http://localhost:8180/realms/keygate/protocol/openid-connect/certs
                audiences: [keygate-api]
            """;

    private static String messageOf(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml, env)).getMessage();
    }

    @Test
    void defaultsAreSafe() {
        GatewayConfig config = ConfigLoader.fromYaml(ONE_ISSUER, Map.of());
        assertTrue(config.auth().enabled());
        assertFalse(config.auth().devPrincipalHeader(), "dev header is off by default");
        assertEquals(io.keygate.core.WorkspaceLayout.PLATFORM_ADMIN_ROLE, config.auth().platformAdminRole(),
                "the default is the extension's default (spi-realm-restapi-extension--keygate--platform-admin-role)");
        IssuerSettings issuer = config.issuers().get(0);
        assertEquals(List.of("RS256"), issuer.algorithms());
        assertEquals(Duration.ofSeconds(30), issuer.clockSkew());
        assertEquals("workspaces", issuer.claims().workspaces());
        assertEquals("realm_access.roles", issuer.claims().realmRoles());
    }

    @Test
    void theAuditSinkIsOneOfThree() {
        assertEquals(GatewayConfig.AuditSinkKind.LOG, ConfigLoader.fromYaml(ONE_ISSUER, Map.of()).auditSink());
        assertEquals(GatewayConfig.AuditSinkKind.NONE, ConfigLoader.fromYaml(ONE_ISSUER, Map.of("KEYGATE_AUDIT_SINK", "none")).auditSink());
        assertTrue(messageOf(ONE_ISSUER, Map.of("KEYGATE_AUDIT_SINK", "kafka")).contains("audit.sink"));
    }

    @Test
    void everyKeyCanBeOverriddenFromTheEnvironment() {
        GatewayConfig config = ConfigLoader.fromYaml(ONE_ISSUER, Map.of(
                "KEYGATE_AUTH_ENABLED", "false",
                "KEYGATE_AUTH_PLATFORM_ADMIN_ROLE", "root",
                "KEYGATE_SERVER_PORT", "9999",
                "KEYGATE_ISSUERS_0_AUDIENCES", "a, b",
                "KEYGATE_ISSUERS_0_CLOCK_SKEW", "10s",
                "KEYGATE_ISSUERS_0_CLAIMS_WORKSPACES", "ws_roles"));
        assertFalse(config.auth().enabled());
        assertEquals("root", config.auth().platformAdminRole());
        assertEquals(9999, config.server().port());
        assertEquals(Set.of("a", "b"), config.issuers().get(0).audiences());
        assertEquals(Duration.ofSeconds(10), config.issuers().get(0).clockSkew());
        assertEquals("ws_roles", config.issuers().get(0).claims().workspaces());
    }

    @Test
    void issuersCanComeFromTheEnvironmentAlone() {
        GatewayConfig config = ConfigLoader.fromYaml("", Map.of(
                "KEYGATE_ISSUERS_0_NAME", "kc",
                "KEYGATE_ISSUERS_0_ISSUER", "http://kc/realms/r",
                "KEYGATE_ISSUERS_0_DISCOVERY", "http://kc/realms/r/.well-known/openid-configuration",
                "KEYGATE_ISSUERS_0_AUDIENCES", "keygate-api"));
        assertEquals("kc", config.issuers().get(0).name());
    }

    @Test
    void envNamesFollowTheDocumentedMapping() {
        assertEquals("KEYGATE_AUTH_ENABLED", EnvNames.of("auth.enabled"));
        assertEquals("KEYGATE_AUTH_DEV_PRINCIPAL_HEADER", EnvNames.of("auth.devPrincipalHeader"));
        assertEquals("KEYGATE_ISSUERS_1_CLAIM_MAPPINGS_0_ORG_NAME", EnvNames.of("issuers.1.claimMappings.0.orgName"));
    }

    @Test
    void invalidConfigurationNamesTheKey() {
        assertTrue(messageOf("auth:\n  enabeld: true\n", Map.of()).contains("auth.enabeld"));
        assertTrue(messageOf(ONE_ISSUER, Map.of("KEYGATE_AUTH_ENABLED", "yes")).contains("auth.enabled (env KEYGATE_AUTH_ENABLED)"));
        assertTrue(messageOf(ONE_ISSUER, Map.of("KEYGATE_SERVER_PORT", "http")).contains("server.port"));
        assertTrue(messageOf("issuers: []\n", Map.of()).contains("issuers"));
        assertTrue(messageOf(ONE_ISSUER.replace("[keygate-api]", "[]"), Map.of()).contains("issuers.0.audiences"));
        assertTrue(messageOf(ONE_ISSUER + "    algorithms: [HS256]\n", Map.of()).contains("issuers.0.algorithms"));
        assertTrue(messageOf(ONE_ISSUER + "    clockSkew: 1h\n", Map.of()).contains("issuers.0.clockSkew"));
        assertTrue(messageOf(ONE_ISSUER.replace("jwks: http://localhost", "jwks: file:///etc"), Map.of()).contains("issuers.0.jwks"));
        assertTrue(messageOf(ONE_ISSUER + "    discovery: http://localhost/x\n", Map.of()).contains("exactly one of jwks or discovery"));
        assertTrue(messageOf(ONE_ISSUER + "    claimMappings:\n      - orgName: acme\n        orgDisplayName: Acme\n", Map.of())
                .contains("issuers.0.claimMappings.0"));
        assertTrue(messageOf(ONE_ISSUER + "    claimMappings:\n      - orgName: acme\n        roles: [KING]\n", Map.of())
                .contains("issuers.0.claimMappings.0.roles"));
        assertTrue(messageOf(ONE_ISSUER + "    bogus: 1\n", Map.of()).contains("issuers.0.bogus"));
        assertTrue(messageOf("auth: [1, 2\n", Map.of()).contains("not valid YAML"));
        assertTrue(messageOf(ONE_ISSUER + "auth:\n  devPrincipalHeader: true\n", Map.of()).contains("keycloak.clientSecret"));
    }

    @Test
    void claimMappingsInAllFourShapes() {
        GatewayConfig config = ConfigLoader.fromYaml(ONE_ISSUER + """
                    claimMappings:
                      - orgName: acme
                        orgDisplayName: Acme Corp
                        roles: [FORGE_TENANT_ADMIN]
                      - orgName: globex
                        orgDisplayName: Globex
                        rolesAttribute: realm_access.roles
                      - orgAttribute: tenant_id
                        orgDisplayAttribute: tenant_name
                        rolesAttribute: tenant_roles
                      - orgName: automation
                        orgDisplayName: Automation
                        isServiceAccount: true
                """, Map.of());
        List<ClaimMapping> mappings = config.issuers().get(0).claimMappings();
        assertEquals(Set.of(OrgRole.TENANT_ADMIN), mappings.get(0).roles());
        assertEquals("realm_access.roles", mappings.get(1).rolesAttribute());
        assertTrue(mappings.get(2).dynamicOrg());
        assertTrue(mappings.get(3).serviceAccount());
    }

    @Test
    void theFileSetupShWritesLoads() {
        GatewayConfig config = ConfigLoader.fromYaml("""
                server:
                  host: 127.0.0.1
                  port: 8080
                auth:
                  enabled: true
                  devPrincipalHeader: false
                  platformAdminRole: platform-admin
                keycloak:
                  url: http://localhost:8180
                  realm: keygate
                  clientId: keygate-gateway
                  clientSecret: keygate-gateway-dev-secret
                storage:
                  jdbcUrl: jdbc:h2:file:/tmp/keygate
                audit:
                  sink: jdbc
                issuers:
                  - name: keygate-dev
                    issuer: http://localhost:8180/realms/keygate
                    jwks: http://localhost:8180/realms/keygate/protocol/openid-connect/certs
                    audiences: [keygate-api]
                    algorithms: [RS256]
                    clockSkew: 30s
                """, Map.of());
        assertEquals("keygate-dev", config.issuers().get(0).name());
        assertEquals(GatewayConfig.AuditSinkKind.JDBC, config.auditSink());
        assertEquals("http://localhost:8180/realms/keygate/keygate", config.keycloak().keygateApi());
        assertEquals("jdbc:h2:file:/tmp/keygate", config.tree().string("storage.jdbcUrl"));
    }

    @Test
    void builtInPolicyAndInvalidPolicyFile() {
        assertThrows(ConfigException.class, () -> io.keygate.gateway.policy.PolicyLoader.load("/nonexistent/policy.yaml"));
        assertTrue(io.keygate.gateway.policy.PolicyLoader.builtIn().model().rules().size() > 40);
    }
}
