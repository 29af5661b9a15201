package io.keygate.gateway.freshness;

import io.keygate.core.Role;
import io.keygate.gateway.auth.AuthFailure;
import io.keygate.gateway.auth.AuthenticatedCaller;
import io.keygate.gateway.auth.CallerJudge;
import io.keygate.gateway.auth.Principal;
import io.keygate.gateway.auth.TokenAuthenticator;
import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import io.keygate.gateway.freshness.Change.WorkspaceChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges each verified caller with what its issuer's security events said after the token was
 * issued, locally (docs/freshness.md, "Receiver").
 *
 * <p>Security contract, for a token of an issuer with an event feed, where "after the token" means
 * at or after its {@code iat} (or, for roles looked up live since, after that lookup):
 * <ul>
 *   <li>all sessions of its subject revoked after it, or its own {@code sid} revoked: 401 "session ended";</li>
 *   <li>a claims change of its subject after it: the principal is mapped again, by the issuer's own
 *       {@code PrincipalMapper}, from the token's claims with the change's {@code workspaces},
 *       {@code orgs} and {@code realm_access} laid over them;</li>
 *   <li>roles known only as of before the feed's horizon (a gap, a new stream, not yet caught up after a
 *       restart): the token's current claims are looked up live (introspection, cached per token);
 *       401 when the issuer says the token is no longer active, 503 when it cannot be asked;</li>
 *   <li>a workspace the caller holds a role in deleted after it: dropped; its wildcard changed after it:
 *       that role is looked up live, and dropped when the issuer cannot be asked.</li>
 * </ul>
 * Otherwise the caller is returned as it is: one map lookup in the steady state (no change newer
 * than the token), a few when other subjects changed, never a network call. Judgements are cached
 * per token and state version.
 */
public final class FreshnessJudge implements CallerJudge {

    /** How much the gateway's clock may lead the issuer's when a live answer is dated. */
    private static final long LOOKUP_DATING_MARGIN_MILLIS = 1000;

    /** One issuer's events and its live source. */
    record IssuerFeed(String issuerName, FeedState state, LiveRoles live) {
    }

    private record Judged(AuthenticatedCaller input, long version, AuthenticatedCaller result) {
    }

    private record Live(long atMillis, Principal principal) {
    }

    private final Map<String, IssuerFeed> feeds;
    private final TokenAuthenticator tokens;
    private final FeedMetrics metrics;
    private final Clock clock;
    private final TokenCache<Judged> judged;
    private final TokenCache<Live> lookups;

    FreshnessJudge(List<IssuerFeed> feeds, TokenAuthenticator tokens, FeedMetrics metrics, Clock clock, int maxEntries) {
        Map<String, IssuerFeed> byName = new HashMap<>();
        feeds.forEach(feed -> byName.put(feed.issuerName(), feed));
        this.feeds = Map.copyOf(byName);
        this.tokens = tokens;
        this.metrics = metrics;
        this.clock = clock;
        this.judged = new TokenCache<>(maxEntries);
        this.lookups = new TokenCache<>(maxEntries);
    }

    /** 401 {@code invalid_token}: the token's session ended (logout, admin sign-out, user disabled or deleted). */
    static AuthFailure sessionEnded() {
        return AuthFailure.invalidToken("session ended");
    }

    @Override
    public AuthenticatedCaller judge(AuthenticatedCaller caller, String token) {
        IssuerFeed feed = token == null ? null : feeds.get(caller.principal().issuer());
        if (feed == null) {
            return caller;
        }
        FeedState state = feed.state();
        // Read before anything the judgement depends on: a change applied while this judgement
        // runs then gives the state a newer version, so a result built without it is never reused.
        long version = state.version();
        long horizon = state.horizon();
        if (caller.issuedAtMillis() > state.newestEventMillis() && caller.rolesAsOfMillis() >= horizon) {
            return caller;
        }
        return judgeOlder(feed, caller, token, version, horizon);
    }

    private AuthenticatedCaller judgeOlder(IssuerFeed feed, AuthenticatedCaller caller, String token, long version, long horizon) {
        FeedState state = feed.state();
        Principal principal = caller.principal();
        SessionRevoked allSessions = state.subjectRevocation(principal.subject());
        if (allSessions != null && caller.issuedAtMillis() <= allSessions.eventMillis()) {
            throw sessionEnded();
        }
        if (caller.sessionId() != null && state.sessionRevocation(caller.sessionId()) != null) {
            throw sessionEnded();
        }
        ClaimsChange claims = state.claimsOf(principal.subject());
        boolean claimsApply = claims != null && caller.rolesAsOfMillis() <= claims.eventMillis();
        long knownAt = claimsApply ? claims.eventMillis() : caller.rolesAsOfMillis();
        if (!claimsApply && knownAt >= horizon && changesSince(state, principal, knownAt).isEmpty()) {
            return caller;
        }
        Judged cached = judged.get(token);
        if (cached != null && cached.input() == caller && cached.version() == version) {
            return cached.result();
        }
        AuthenticatedCaller result = rejudge(feed, caller, token, claimsApply ? claims : null, horizon);
        judged.put(token, new Judged(caller, version, result));
        return result;
    }

    private AuthenticatedCaller rejudge(IssuerFeed feed, AuthenticatedCaller caller, String token, ClaimsChange claims, long horizon) {
        Principal principal = caller.principal();
        long knownAt = caller.rolesAsOfMillis();
        if (claims != null) {
            Map<String, Object> overlaid = new HashMap<>(TokenAuthenticator.claimsOf(token));
            overlaid.putAll(claims.claims());
            principal = tokens.map(feed.issuerName(), overlaid, token);
            knownAt = claims.eventMillis();
        }
        if (knownAt < horizon) {
            Live live = live(feed, token, principal, feed.state().persistentHorizon());
            principal = live.principal();
            knownAt = live.atMillis();
        }
        List<WorkspaceChange> changes = changesSince(feed.state(), principal, knownAt);
        if (changes.isEmpty()) {
            return caller.withPrincipal(principal, knownAt);
        }
        return withWorkspaceChanges(feed, caller, token, principal, knownAt, changes);
    }

    /** Deleted workspaces dropped; roles in workspaces whose wildcard changed looked up live, or dropped. */
    private AuthenticatedCaller withWorkspaceChanges(IssuerFeed feed, AuthenticatedCaller caller, String token, Principal principal,
                                                     long knownAt, List<WorkspaceChange> changes) {
        long newestWildcard = -1;
        for (WorkspaceChange change : changes) {
            if (!change.deleted()) {
                newestWildcard = Math.max(newestWildcard, change.eventMillis());
            }
        }
        Principal base = principal;
        long asOf = knownAt;
        boolean looked = false;
        if (newestWildcard >= 0) {
            try {
                Live live = live(feed, token, principal, newestWildcard);
                base = live.principal();
                asOf = live.atMillis();
                looked = true;
            } catch (AuthFailure failure) {
                if (failure.status() == 401) {
                    throw failure;
                }
            }
        }
        Map<String, Role> roles = new HashMap<>(base.workspaceRoles());
        for (WorkspaceChange change : changes) {
            if (change.deleted() ? change.eventMillis() >= asOf : !looked) {
                roles.remove(change.workspace());
            }
        }
        return caller.withPrincipal(withRoles(base, roles), asOf);
    }

    /** The token's current principal from the issuer, reused while it is newer than {@code notBeforeMillis}. */
    private Live live(IssuerFeed feed, String token, Principal principal, long notBeforeMillis) {
        Live known = lookups.get(token);
        if (known != null && known.atMillis() >= notBeforeMillis) {
            return known;
        }
        long startedAt = clock.millis();
        Map<String, Object> claims;
        try {
            claims = feed.live().currentClaims(token);
        } catch (AuthFailure failure) {
            metrics.lookup(failure.status() == 401 ? "inactive" : "unavailable");
            throw failure;
        }
        if (!principal.subject().equals(claims.get("sub"))) {
            metrics.lookup("inactive");
            throw sessionEnded();
        }
        metrics.lookup("ok");
        Live fresh = new Live(startedAt - LOOKUP_DATING_MARGIN_MILLIS, tokens.map(feed.issuerName(), claims, token));
        lookups.put(token, fresh);
        return fresh;
    }

    /** Workspace changes at or after {@code sinceMillis} in workspaces {@code principal} holds a role in. */
    private static List<WorkspaceChange> changesSince(FeedState state, Principal principal, long sinceMillis) {
        List<WorkspaceChange> out = null;
        for (WorkspaceChange change : state.workspaceChanges()) {
            if (change.eventMillis() >= sinceMillis && principal.workspaceRoles().containsKey(change.workspace())) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(change);
            }
        }
        return out == null ? List.of() : out;
    }

    private static Principal withRoles(Principal p, Map<String, Role> roles) {
        return new Principal(p.subject(), p.email(), p.displayName(), roles, p.orgRoles(), p.scopes(), p.platformAdmin(), p.issuer());
    }
}
