# Models and text handling (compiled into confab_client).
set(CONFAB_CLIENT_MODEL_SOURCES
    user_directory.h user_directory.cpp
    display_names.h display_names.cpp
    room_list_model.h room_list_model.cpp room_list_model_changes.cpp
    message_list_model.h message_list_model.cpp message_list_model_changes.cpp
    message_list_model_pending.cpp message_list_model_unread.cpp message_list_model_seen.cpp
    user_list_model.h user_list_model.cpp
    member_list_model.h member_list_model.cpp
    system_text.h system_text.cpp
    message_results_model.h message_results_model.cpp
    public_rooms_model.h public_rooms_model.cpp
    message_display.h message_display.cpp
    mention_tracker.h mention_tracker.cpp
    message_formatter.h message_formatter.cpp
    emoji_model.h emoji_model.cpp
    quick_switcher_model.h quick_switcher_model.cpp switcher_match.h switcher_match.cpp
    search_marks.h search_marks.cpp
    message_highlighter.h # private to message_formatter.cpp and its test
)
