# Connection, keychain, settings, notifications (compiled into confab_client).
set(CONFAB_CLIENT_SESSION_SOURCES
    session.h session.cpp session_events.cpp
    certificate_trust.h certificate_trust.cpp
    token_store.h token_store.cpp
    client_settings.h client_settings.cpp
    desktop_notifier.h desktop_notifier.cpp
    notification_rule.h notification_rule.cpp
    notification_center.h notification_center.cpp
)
