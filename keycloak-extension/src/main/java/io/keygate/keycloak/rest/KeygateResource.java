package io.keygate.keycloak.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.WorkspaceLayout;
import io.keygate.core.api.ErrorBody;
import io.keygate.core.api.ExtensionApi;
import io.keygate.core.api.PageQuery;
import io.keygate.core.iam.RoleBindings;
import io.keygate.keycloak.membership.RoleResolver;
import io.keygate.keycloak.workspace.WorkspaceRowLock;
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
import org.keycloak.representations.idm.ErrorRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;

/**
 * HTTP routes of {@code /realms/{realm}/keygate}. Every route needs the caller's bearer token: an
 * access token of this realm minted for keygate ({@link KeygateTokenAuthenticator}; 401 otherwise).
 * Whom the decisions are made for is {@link ActingFor}'s answer; what that caller may do to a
 * workspace is {@link WorkspaceAccess}'s.
 * Reads run in the request's session; each change runs under the workspace's lock in a transaction
 * of its own that commits before the lock is released. Errors are always {@code {"detail": "..."}}.
 */
public final class KeygateResource {

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
    @Path(ExtensionApi.WORKSPACES)
    public Response listWorkspaces(@QueryParam(PageQuery.PAGE) String page, @QueryParam(PageQuery.PAGE_SIZE) String pageSize,
                                   @QueryParam(PageQuery.SORT) String sort) {
        return read(api -> api.workspaces().list(PageRequest.parse(page, pageSize, sort, PageRequest.DEFAULT_SORT)));
    }

    @POST
    @Path(ExtensionApi.WORKSPACES)
    public Response createWorkspace(String body) {
        return handle(201, auth -> {
            var request = bodies.object(body);
            String name = Bodies.requiredString(request, "name");
            return write(auth, name, api -> api.workspaces().create(request));
        });
    }

    @GET
    @Path(ExtensionApi.WORKSPACE)
    public Response getWorkspace(@PathParam("name") String name) {
        return read(api -> api.workspaces().get(name));
    }

    @PUT
    @Path(ExtensionApi.WORKSPACE)
    public Response updateWorkspace(@PathParam("name") String name, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.workspaces().update(name, request));
        });
    }

    @DELETE
    @Path(ExtensionApi.WORKSPACE)
    public Response deleteWorkspace(@PathParam("name") String name) {
        return handle(204, auth -> write(auth, name, api -> {
            api.workspaces().delete(name);
            return null;
        }));
    }

    @PUT
    @Path(ExtensionApi.DELETION_STAGE)
    public Response setDeletionStage(@PathParam("name") String name, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.workspaces().setDeletionStage(name, request));
        });
    }

    @GET
    @Path(ExtensionApi.MEMBERS)
    public Response listMembers(@PathParam("name") String name, @QueryParam(PageQuery.PAGE) String page,
                                @QueryParam(PageQuery.PAGE_SIZE) String pageSize, @QueryParam(PageQuery.SORT) String sort) {
        return read(api -> api.members().listMembers(name, PageRequest.parse(page, pageSize, sort, MemberApi.MEMBER_ORDER)));
    }

    @POST
    @Path(ExtensionApi.MEMBERS)
    public Response addMember(@PathParam("name") String name, String body) {
        return handle(201, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.members().addMember(name, request));
        });
    }

    @PUT
    @Path(ExtensionApi.MEMBER)
    public Response replaceMember(@PathParam("name") String name, @PathParam("principal") String principal, String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            return write(auth, name, api -> api.members().replaceMember(name, principal, request));
        });
    }

    @DELETE
    @Path(ExtensionApi.MEMBER)
    public Response removeMember(@PathParam("name") String name, @PathParam("principal") String principal) {
        return handle(204, auth -> write(auth, name, api -> {
            api.members().removeMember(name, principal);
            return null;
        }));
    }

    // ---- NeMo Platform's IAM role bindings (PlatformAdmin), over the binding history; writes are member writes

    @GET
    @Path(ExtensionApi.ROLE_BINDINGS)
    public Response listRoleBindings() {
        return read(api -> api.roleBindings().list(session.getContext().getUri().getQueryParameters()));
    }

    @POST
    @Path(ExtensionApi.ROLE_BINDINGS)
    public Response createRoleBinding(String body) {
        return handle(200, auth -> {
            var request = bodies.object(body);
            String workspace = Bodies.optionalString(request, "workspace").orElse(WorkspaceLayout.SYSTEM_WORKSPACE);
            return write(auth, workspace, api -> api.roleBindings().create(request));
        });
    }

    @GET
    @Path(ExtensionApi.ROLE_BINDING)
    public Response getRoleBinding(@PathParam("name") String name) {
        return read(api -> api.roleBindings().get(name));
    }

    @DELETE
    @Path(ExtensionApi.ROLE_BINDING)
    public Response revokeRoleBinding(@PathParam("name") String name) {
        return handle(200, auth -> {
            String workspace = api(session, session.getContext().getRealm(), auth).roleBindings().workspaceOf(name);
            return write(auth, workspace, api -> api.roleBindings().revoke(name));
        });
    }

    @GET
    @Path(ExtensionApi.MY_WORKSPACES)
    public Response myWorkspaces() {
        return read(api -> api.workspaces().myWorkspaces());
    }

    @GET
    @Path(ExtensionApi.PRINCIPAL_WORKSPACES)
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

    private Response read(Function<Apis, Object> work) {
        return handle(200, auth -> work.apply(api(session, session.getContext().getRealm(), auth)));
    }

    private Object write(AuthResult auth, String workspace, Function<Apis, Object> work) {
        RealmModel realm = session.getContext().getRealm();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        return locks.withLock(realm.getId(), workspace, () -> KeycloakModelUtils.runJobInTransactionWithResult(
                factory, session.getContext(), job -> WholeModel.read(job, () -> {
                    RealmModel jobRealm = job.realms().getRealm(realm.getId());
                    new WorkspaceRowLock(job).lock(jobRealm, workspace);
                    return work.apply(api(job, jobRealm, auth));
                }),
                "keygate workspace change"));
    }

    private Apis api(KeycloakSession target, RealmModel realm, AuthResult auth) {
        UserModel user = target.users().getUserById(realm, auth.user().getId());
        if (user == null || !user.isEnabled()) {
            throw TokenRefused.invalid("the token's user no longer exists or is disabled");
        }
        RoleResolver resolver = new RoleResolver(target, realm);
        Caller caller = new ActingFor(target, realm, resolver)
                .caller(user, session.getContext().getHttpRequest().getHttpHeaders().getHeaderString(ExtensionApi.ACT_AS_HEADER));
        AdminEvents events = new AdminEvents(target, realm,
                new AdminAuth(realm, auth.token(), user, auth.client()), session.getContext().getConnection());
        MemberApi members = new MemberApi(target, realm, caller, events, changedSubjects);
        return new Apis(new WorkspaceApi(target, realm, caller, events), members,
                new RoleBindingApi(target, realm, caller, members, json));
    }

    private Response handle(int status, Function<AuthResult, Object> work) {
        try {
            AuthResult auth = authenticator.authenticate();
            Object body = WholeModel.read(session, () -> work.apply(auth));
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
            return error(e.getResponse().getStatus(), detailOf(e));
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

    /**
     * The message of a refusal Keycloak code raised, e.g. the last-Admin guard's
     * {@code ErrorResponse.error(...)}: its text is in the response's {@link ErrorRepresentation}
     * (the exception's own message is only "HTTP 500 Internal Server Error").
     */
    private static String detailOf(ErrorResponseException e) {
        if (e.getErrorDescription() != null) {
            return e.getErrorDescription();
        }
        if (e.getResponse().getEntity() instanceof ErrorRepresentation representation && representation.getErrorMessage() != null) {
            return representation.getErrorMessage();
        }
        return e.getMessage();
    }

    private Response.ResponseBuilder json(int status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize response", e);
        }
    }

    private Response error(int status, String detail) {
        Response.ResponseBuilder response = json(status, new ErrorBody(detail));
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + session.getContext().getRealm().getName() + "\"");
        }
        return response.build();
    }

    private Response refused(TokenRefused refusal) {
        return json(401, new ErrorBody(refusal.getMessage()))
                .header(HttpHeaders.WWW_AUTHENTICATE, refusal.challenge(session.getContext().getRealm().getName())).build();
    }

    /** The two APIs bound to one session and caller. */
    private record Apis(WorkspaceApi workspaces, MemberApi members, RoleBindingApi roleBindings) {
    }
}
