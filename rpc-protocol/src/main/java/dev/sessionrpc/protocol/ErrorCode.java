package dev.sessionrpc.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalogue of every error this protocol can put on the wire: JSON-RPC 2.0's standard
 * codes and the Socialvoid standard's tables, so that a later method reuses an entry instead of
 * inventing a code. The wire name is what clients see in {@code error.data.name}.
 */
public enum ErrorCode {
    // JSON-RPC 2.0
    PARSE_ERROR(-32700, "ParseError", ErrorSet.RPC),
    INVALID_REQUEST(-32600, "InvalidRequest", ErrorSet.RPC),
    METHOD_NOT_FOUND(-32601, "MethodNotFound", ErrorSet.RPC),
    INVALID_PARAMS(-32602, "InvalidParams", ErrorSet.RPC),
    MISSING_PARAMETER(-32602, "MissingParameter", ErrorSet.RPC),
    INTERNAL_ERROR(-32603, "InternalError", ErrorSet.RPC),

    // Socialvoid validation errors (set 21)
    INVALID_USERNAME(8448, "InvalidUsername", ErrorSet.VALIDATION),
    INVALID_PASSWORD(8449, "InvalidPassword", ErrorSet.VALIDATION),
    INVALID_FIRST_NAME(8450, "InvalidFirstName", ErrorSet.VALIDATION),
    INVALID_LAST_NAME(8451, "InvalidLastName", ErrorSet.VALIDATION),
    INVALID_BIOGRAPHY(8452, "InvalidBiography", ErrorSet.VALIDATION),
    USERNAME_ALREADY_EXISTS(8453, "UsernameAlreadyExists", ErrorSet.VALIDATION),
    INVALID_PEER_INPUT(8454, "InvalidPeerInput", ErrorSet.VALIDATION),
    INVALID_POST_TEXT(8455, "InvalidPostText", ErrorSet.VALIDATION),
    INVALID_CLIENT_PUBLIC_HASH(8456, "InvalidClientPublicHash", ErrorSet.VALIDATION),
    INVALID_CLIENT_PRIVATE_HASH(8457, "InvalidClientPrivateHash", ErrorSet.VALIDATION),
    INVALID_PLATFORM(8458, "InvalidPlatform", ErrorSet.VALIDATION),
    INVALID_VERSION(8459, "InvalidVersion", ErrorSet.VALIDATION),
    INVALID_CLIENT_NAME(8460, "InvalidClientName", ErrorSet.VALIDATION),
    INVALID_SESSION_IDENTIFICATION(8461, "InvalidSessionIdentification", ErrorSet.VALIDATION),
    INVALID_FILE_FOR_PROFILE_PICTURE(8462, "InvalidFileForProfilePicture", ErrorSet.VALIDATION),
    FILE_TOO_LARGE(8463, "FileTooLarge", ErrorSet.VALIDATION),
    INVALID_HELP_DOCUMENT_ID(8464, "InvalidHelpDocumentId", ErrorSet.VALIDATION),
    AGREEMENT_REQUIRED(8465, "AgreementRequired", ErrorSet.VALIDATION),
    INVALID_PAGE_VALUE(8466, "InvalidPageValue", ErrorSet.VALIDATION),
    INVALID_GEO_LOCATION(8467, "InvalidGeoLocation", ErrorSet.VALIDATION),
    INVALID_URL_VALUE(8468, "InvalidUrlValue", ErrorSet.VALIDATION),
    TOO_MANY_ATTACHMENTS(8469, "TooManyAttachments", ErrorSet.VALIDATION),
    INVALID_ATTACHMENTS(8470, "InvalidAttachments", ErrorSet.VALIDATION),
    INVALID_FILE_NAME(8471, "InvalidFileName", ErrorSet.VALIDATION),

    // Socialvoid authentication errors (set 22)
    INCORRECT_LOGIN_CREDENTIALS(8704, "IncorrectLoginCredentials", ErrorSet.AUTHENTICATION),
    INCORRECT_TWO_FACTOR_AUTHENTICATION_CODE(8705, "IncorrectTwoFactorAuthenticationCode", ErrorSet.AUTHENTICATION),
    AUTHENTICATION_NOT_APPLICABLE(8706, "AuthenticationNotApplicable", ErrorSet.AUTHENTICATION),
    SESSION_NOT_FOUND(8707, "SessionNotFound", ErrorSet.AUTHENTICATION),
    NOT_AUTHENTICATED(8708, "NotAuthenticated", ErrorSet.AUTHENTICATION),
    PRIVATE_ACCESS_TOKEN_REQUIRED(8709, "PrivateAccessTokenRequired", ErrorSet.AUTHENTICATION),
    AUTHENTICATION_FAILURE(8710, "AuthenticationFailure", ErrorSet.AUTHENTICATION),
    BAD_SESSION_CHALLENGE_ANSWER(8711, "BadSessionChallengeAnswer", ErrorSet.AUTHENTICATION),
    TWO_FACTOR_AUTHENTICATION_REQUIRED(8712, "TwoFactorAuthenticationRequired", ErrorSet.AUTHENTICATION),
    ALREADY_AUTHENTICATED(8713, "AlreadyAuthenticated", ErrorSet.AUTHENTICATION),
    SESSION_EXPIRED(8714, "SessionExpired", ErrorSet.AUTHENTICATION),

    // Socialvoid network errors (set 31)
    PEER_NOT_FOUND(12544, "PeerNotFound", ErrorSet.NETWORK),
    POST_NOT_FOUND(12545, "PostNotFound", ErrorSet.NETWORK),
    POST_DELETED(12546, "PostDeleted", ErrorSet.NETWORK),
    ALREADY_REPOSTED(12547, "AlreadyReposted", ErrorSet.NETWORK),
    FILE_UPLOAD_ERROR(12548, "FileUploadError", ErrorSet.NETWORK),
    DOCUMENT_NOT_FOUND(12549, "DocumentNotFound", ErrorSet.NETWORK),
    ACCESS_DENIED(12550, "AccessDenied", ErrorSet.NETWORK),
    BLOCKED_BY_PEER(12551, "BlockedByPeer", ErrorSet.NETWORK),
    BLOCKED_PEER(12552, "BlockedPeer", ErrorSet.NETWORK),
    SELF_INTERACTION_NOT_PERMITTED(12553, "SelfInteractionNotPermitted", ErrorSet.NETWORK),

    // Socialvoid server errors (set 40), and this project's throttle answer
    INTERNAL_SERVER_ERROR(16384, "InternalServerError", ErrorSet.SERVER),
    DOCUMENT_UPLOAD(16385, "DocumentUpload", ErrorSet.SERVER),
    TOO_MANY_REQUESTS(16386, "TooManyRequests", ErrorSet.SERVER);

    private static final Map<String, ErrorCode> BY_NAME = new HashMap<>();
    private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

    static {
        for (ErrorCode c : values()) {
            BY_NAME.put(c.wireName, c);
            BY_CODE.putIfAbsent(c.code, c);
        }
    }

    private final int code;
    private final String wireName;
    private final ErrorSet set;

    ErrorCode(int code, String wireName, ErrorSet set) {
        this.code = code;
        this.wireName = wireName;
        this.set = set;
    }

    public int code() {
        return code;
    }

    /** The name clients see in {@code error.data.name}. */
    public String wireName() {
        return wireName;
    }

    public ErrorSet set() {
        return set;
    }

    /** Finds an entry by its wire name, the exact way to tell -32602's two meanings apart. */
    public static Optional<ErrorCode> byName(String wireName) {
        return Optional.ofNullable(BY_NAME.get(wireName));
    }

    /** Finds an entry by number; for -32602 this is {@link #INVALID_PARAMS}. */
    public static Optional<ErrorCode> byCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
