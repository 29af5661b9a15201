package io.keygate.keycloak.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.iam.RoleBindings;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.workspace.WholeModel;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;

/**
 * HTTP routes of {@code /realms/{realm}/keygate}. Every route needs the caller's bearer token: an
 * access token of this realm minted for keygate ({@link KeygateTokenAuthenticator}; 401 otherwise).
 * Reads run in the request's session; each change runs under the workspace's lock in a transaction
 * of its own that commits before the lock is released. Errors are always {@code {"detail": "..."}}.
 */
public final class KeygateResource {

    /** Header naming the principal a platform-admin service account acts for. */
    static final String ACT_AS_HEADER = "X-Keygate-Act-As";

    private static final Logger LOG = Logger.getLogger(KeygateResource.class);

    /** The routes' path templates as patterns, read from the annotations so they cannot drift from them. */
    private static final List<Pattern> ROUTE_PATHS = Arrays.stream(KeygateResource.class.getDeclaredMethods())
            .map(method -> method.getAnnotation(Path.class)).filter(Objects::nonNull).map(Path::value)
            .filter(template -> !template.startsWith("{unknown"))
            .map(template -> Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+"))).toList();

    private final KeycloakSession session;
    private final WorkspaceLocks locks;
    private final ObjectMapper json;
    private final Bodies bodies;
    private final KeygateTokenAuthenticator authenticator;
    /** Users whose memberships this request's write changed (reported to the gateway, which waits for their events). */
    private final Set<String> changedSubjects = new LinkedHashSet<>();

    KeygateResource(KeycloakSession session, WorkspaceLocks locks, ObjectMapper json, KeygateTokenAuthenticator authenticator) {
        this.session = session;
        this.locks = locks;
        this.json = json;
        this.bodies = new Bodies(json);
        this.authenticator = authenticator;
    }

    @GET
    @Path("workspaces")
    public Response listWorkspaces(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                                   @QueryParam("sort") String sort) {
        return read(api -> api.workspaces().list(PageRequest.parse(page, pageSize, sort, PageRequest.DEFAULT_SORT)));
    }

    @POST
    @Path("workspaces")
    public Response createWorkspace(String body) {
        return handle(201, auth -> {
            var request = bodies.object(body);
            String name = Bodies.requiredString(request, "name");
            return write(auth, name, api -> api.workspaces().create(request));
        });
    }

    @GET
    @Path("workspaces/{name}")
    public Response getWorkspace(@PathParam("name") String name) {
        return read(api -> api.workspaces().get(name));
    }

    @PUT
    @Path("workspaces/{name}")
    public Response updateWorkspace(@PathParam("name") String name, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.workspaces().update(name, request));
        });
    }

    @DELETE
    @Path("workspaces/{name}")
    public Response deleteWorkspace(@PathParam("name") String name) {
        return handle(204, auth -> write(auth, name, api -> {
            api.workspaces().delete(name);
            return null;
        }));
    }

    @PUT
    @Path("workspaces/{name}/deletion-stage")
    public Response setDeletionStage(@PathParam("name") String name, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.workspaces().setDeletionStage(name, request));
        });
    }

    @GET
    @Path("workspaces/{name}/members")
    public Response listMembers(@PathParam("name") String name, @QueryParam("page") String page,
                                @QueryParam("page_size") String pageSize, @QueryParam("sort") String sort) {
        return read(api -> api.members().listMembers(name, PageRequest.parse(page, pageSize, sort, MemberApi.MEMBER_ORDER)));
    }

    @POST
    @Path("workspaces/{name}/members")
    public Response addMember(@PathParam("name") String name, String body) {
        return handle(201, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.members().addMember(name, request));
        });
    }

    @PUT
    @Path("workspaces/{name}/members/{principal}")
    public Response replaceMember(@PathParam("name") String name, @PathParam("principal") String principal, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.members().replaceMember(name, principal, request));
        });
    }

    @DELETE
    @Path("workspaces/{name}/members/{principal}")
    public Response removeMember(@PathParam("name") String name, @PathParam("principal") String principal) {
        return handle(204, auth -> write(auth, name, api -> {
            api.members().removeMember(name, principal);
            return null;
        }));
    }

    // ---- NeMo Platform's IAM role bindings (PlatformAdmin), over the binding history; writes are member writes

    @GET
    @Path("role-bindings")
    public Response listRoleBindings() {
        return read(api -> api.roleBindings().list(session.getContext().getUri().getQueryParameters()));
    }

    @POST
    @Path("role-bindings")
    public Response createRoleBinding(String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            String workspace = Bodies.optionalString(request, "workspace").orElse(WorkspaceLayout.SYSTEM_WORKSPACE);
            return write(auth, workspace, api -> api.roleBindings().create(request));
        });
    }

    @GET
    @Path("role-bindings/{name}")
    public Response getRoleBinding(@PathParam("name") String name) {
        return read(api -> api.roleBindings().get(name));
    }

    @DELETE
    @Path("role-bindings/{name}")
    public Response revokeRoleBinding(@PathParam("name") String name) {
        return handle(200, auth -> {
            String workspace = api(session, session.getContext().getRealm(), auth).roleBindings().workspaceOf(name);
            return write(auth, workspace, api -> api.roleBindings().revoke(name));
        });
    }

    @GET
    @Path("me/workspaces")
    public Response myWorkspaces() {
        return read(api -> api.workspaces().myWorkspaces());
    }

    @GET
    @Path("principals/{principal}/workspaces")
    public Response principalWorkspaces(@PathParam("principal") String principal) {
        return read(api -> api.workspaces().principalWorkspaces(principal));
    }

    // ---- any other path or method under /keygate: the extension's {"detail"}, not Keycloak's {"error"}
    // (literal templates above always win over this regex one, so no route is shadowed)

    @GET
    @Path("{unknown: .*}")
    public Response unknownGet(@PathParam("unknown") String path) {
        return unknownEndpoint("GET", path);
    }

    @POST
    @Path("{unknown: .*}")
    public Response unknownPost(@PathParam("unknown") String path) {
        return unknownEndpoint("POST", path);
    }

    @PUT
    @Path("{unknown: .*}")
    public Response unknownPut(@PathParam("unknown") String path) {
        return unknownEndpoint("PUT", path);
    }

    @DELETE
    @Path("{unknown: .*}")
    public Response unknownDelete(@PathParam("unknown") String path) {
        return unknownEndpoint("DELETE", path);
    }

    @PATCH
    @Path("{unknown: .*}")
    public Response unknownPatch(@PathParam("unknown") String path) {
        return unknownEndpoint("PATCH", path);
    }

    /** 405 on a path some route serves with another method, 404 otherwise; no authentication needed to learn either. */
    private Response unknownEndpoint(String method, String path) {
        String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        return ROUTE_PATHS.stream().anyMatch(route -> route.matcher(path).matches())
                ? error(405, "Method " + method + " is not allowed on /keygate/" + shown)
                : error(404, "No keygate endpoint at /keygate/" + shown);
    }

    // ---- plumbing

    private Response read(Function<Apis, Map<String, Object>> work) {
        return handle(200, auth -> work.apply(api(session, session.getContext().getRealm(), auth)));
    }

    private Map<String, Object> write(AuthResult auth, String workspace, Function<Apis, Map<String, Object>> work) {
        RealmModel realm = session.getContext().getRealm();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        return locks.withLock(realm.getId(), workspace, () -> KeycloakModelUtils.runJobInTransactionWithResult(
                factory, session.getContext(), job -> WholeModel.read(job, () -> work.apply(api(job, job.realms().getRealm(realm.getId()), auth))),
                "keygate workspace change"));
    }

    private Apis api(KeycloakSession target, RealmModel realm, AuthResult auth) {
        UserModel user = target.users().getUserById(realm, auth.user().getId());
        if (user == null || !user.isEnabled()) {
            throw TokenRefused.invalid("the token's user no longer exists or is disabled");
        }
        RoleResolver resolver = new RoleResolver(target, realm);
        Caller caller = Caller.of(actingFor(target, realm, user, resolver), resolver);
        AdminEvents events = new AdminEvents(target, realm,
                new AdminAuth(realm, auth.token(), user, auth.client()), session.getContext().getConnection());
        MemberApi members = new MemberApi(target, realm, caller, events, changedSubjects);
        return new Apis(new WorkspaceApi(target, realm, caller, events), members,
                new RoleBindingApi(target, realm, caller, members, json));
    }

    /**
     * The user decisions are made for. Normally the token's user. A platform-admin service account
     * (the gateway, in its dev-header mode) may name another principal in {@value #ACT_AS_HEADER};
     * anyone else who sends it is refused rather than silently ignored. Admin events still record
     * the service account as the one who acted.
     */
    private UserModel actingFor(KeycloakSession target, RealmModel realm, UserModel tokenUser, RoleResolver resolver) {
        String principal = session.getContext().getHttpRequest().getHttpHeaders().getHeaderString(ACT_AS_HEADER);
        if (principal == null || principal.isBlank()) {
            return tokenUser;
        }
        if (tokenUser.getServiceAccountClientLink() == null || !resolver.isPlatformAdmin(tokenUser)) {
            throw ApiException.forbidden("Only a platform-admin service account may act for another principal");
        }
        return new Principals(target, realm).find(principal.trim()).orElseThrow(() ->
                ApiException.notFound("No user or service account named '" + principal.trim() + "' exists in realm '" + realm.getName() + "'"));
    }

    private Response handle(int status, Function<AuthResult, Map<String, Object>> work) {
        try {
            AuthResult auth = authenticator.authenticate();
            Map<String, Object> body = WholeModel.read(session, () -> work.apply(auth));
            Response.ResponseBuilder response = status == 204 ? Response.noContent() : json(status, body);
            if (!changedSubjects.isEmpty()) {
                response.header(RoleBindings.CHANGED_SUBJECTS_HEADER, String.join(",", changedSubjects));
            }
            return response.build();
        } catch (TokenRefused e) {
            return refused(e);
        } catch (ApiException e) {
            return error(e.status(), e.getMessage());
        } catch (ErrorResponseException e) {
            return error(e.getResponse().getStatus(), e.getErrorDescription() != null ? e.getErrorDescription() : e.getMessage());
        } catch (WebApplicationException e) {
            return error(e.getResponse().getStatus(), e.getMessage());
        } catch (RuntimeException e) {
            return PersistenceFailures.clientError(e).map(anticipated -> {
                LOG.infof("keygate change refused by the database (%d): %s", anticipated.status(), e);
                return error(anticipated.status(), anticipated.detail());
            }).orElseGet(() -> {
                LOG.error("keygate API request failed", e);
                return error(500, "Internal error; see the Keycloak log");
            });
        }
    }

    private Response.ResponseBuilder json(int status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize response", e);
        }
    }

    private Response error(int status, String detail) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json.createObjectNode().put("detail", detail).toString());
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + session.getContext().getRealm().getName() + "\"");
        }
        return response.build();
    }

    private Response refused(TokenRefused refusal) {
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, refusal.challenge(session.getContext().getRealm().getName()))
                .entity(json.createObjectNode().put("detail", refusal.getMessage()).toString()).build();
    }

    /** The two APIs bound to one session and caller. */
    private record Apis(WorkspaceApi workspaces, MemberApi members, RoleBindingApi roleBindings) {
    }
}
