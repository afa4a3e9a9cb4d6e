"""Swedish texts of the chat commands."""

from __future__ import annotations

import bot.core.texts.catalogue as c
from bot.core.texts.sv_authoring import SV_AUTHORING
from bot.core.texts.sv_phrases import SV_PHRASES

SV = c.Texts(
    code="sv",
    locale="sv_SE",
    ordinal_suffixes={"one": ":a", "other": ":e"},
    and_word="och",
    fan_help={
        "start": "prenumerera på påminnelser",
        "stop": "sluta få utskick",
        "subscribe": "välj serier eller pass: /subscribe race qualifying",
        "unsubscribe": "ta bort en serie eller passtyp",
        "settings": "språk, påminnelsetider, pass, tidszon, spoilers, tysta timmar, dagsöversikt",
        "next": "nästa pass med nedräkning",
        "schedule": "helgens schema, eller /schedule EVENT",
        "calendar": "kalenderfil och prenumerationslänk",
        "results": "senaste resultaten",
        "standings": "senaste mästerskapstabellen",
        "help": "den här hjälpen",
        "whoami": "ditt användar-id (för att bli personal)",
    },
    staff_help={
        "delay": "PASS MINUTER – flytta ett pass",
        "cancel": "PASS – ställ in ett pass",
        "announce": "TEXT – meddelande till alla",
        "result": (
            "PASS FÖRARE PLATS … – t.ex. /result race2 andreas dnf jessica 17, eller klistra in "
            "pressmeddelandets rader (“Andreas resultat:” …); en rättelse ändrar bara förarna "
            "den nämner, /result race2 jessica - tar bort Jessicas resultat"
        ),
        "standings": "+ inklistrad tabell – publicera ställningen",
        "release": "klistra in eller skicka ett pressmeddelande (.txt/.docx), sedan /done",
        "publish": "publicera det senaste utkastet",
        "staff": "add|remove|list ID – vem som får använda personalkommandona",
    },
    welcome=(
        "Välkommen! Du får nu påminnelser inför varje pass, ”LIVE NU” med länkar och resultat "
        "från {team}. Skriv /stop för att sluta, /settings för språk och påminnelsetider, /help "
        "för alla kommandon."
    ),
    stopped="Du får inga fler utskick. Skriv {start} för att börja igen.",
    not_subscribed="Den här chatten prenumererar inte. Skriv {start}.",
    subscribed="Prenumerationen är sparad: {what}.",
    unsubscribed="Klart: {what} är borttaget.",
    admins_only="Bara gruppens administratörer kan ändra prenumerationen här.",
    unknown_choice="Okänt val: {word!r}",
    choice_hint="Serier: {series}; pass: race, qualifying, practice",
    unreadable="Kan inte läsa {text!r}: {error}",
    check_quotes="Kontrollera citattecknen",
    start_link="Länken valde åt dig: {what}. /subscribe lägger till fler, /settings ändrar.",
    start_link_unknown=(
        "Länken gällde {word!r}, som jag inte känner igen, så du får allt. "
        "Välj med /subscribe, serier: {series}."
    ),
    bot_description=(
        "Tidsschema, påminnelser före varje pass, ”LIVE NU” med länkar, resultat och "
        "mästerskapsställning från {team}. Tryck Starta för att prenumerera; /settings väljer "
        "språk, pass och påminnelsetider."
    ),
    bot_short_description="Påminnelser, livelänkar och resultat från {team}.",
    settings="Inställningar",
    saved="Sparat.",
    language="Språk",
    leads="Påminnelser (minuter före)",
    kinds="Pass",
    tz="Tidszon",
    series="Serier",
    all="alla",
    settings_usage=(
        "/settings language sv|en · /settings leads 60 15 · /settings kinds race qualifying · "
        "/settings tz Europe/Stockholm"
    ),
    minutes_not_numbers="Minuterna måste vara tal: {values}",
    unknown_kind="Okänd passtyp {value!r}",
    cannot_change="Det går inte att ändra {key!r} så.",
    leads_range="Högst fem påminnelsetider, mellan 1 och 10080 minuter.",
    no_next="Inga kommande pass i schemat just nu.",
    no_weekend_match="Ingen tävlingshelg passar {query!r}.",
    try_one_of="Prova en av: {choices}",
    unknown_series="Okänd serie {query!r}.",
    calendar_title="Kalender",
    calendar_lead="Prenumerera i din kalender",
    help_title="Kommandon",
    no_results="Inga resultat ännu.",
    no_standings="Ingen tabell ännu.",
    staff_only="Det kommandot är inte tillgängligt för dig.",
    preview_delay="{name} skjuts upp {minutes} minuter, till {new} ({zone}). Publicera?",
    preview_earlier="{name} tidigareläggs {minutes} minuter, till {new} ({zone}). Publicera?",
    preview_cancel="{name} ställs in. Publicera?",
    delay_cancelled="{name} är inställt och kan inte flyttas. Körs passet ändå, "
    "ändra det i schemafilen.",
    preview_announce="Meddelandet nedan skickas till alla prenumeranter. Publicera?",
    publish_question="Publicera?",
    standings_question="Stämmer tabellerna? Publicera?",
    result_unchanged="Samma som det publicerade resultatet: Publicera skickar ut inläggen igen.",
    published="Publicerat till {chats}.",
    aborted="Avbrutet, inget skickades.",
    nothing_pending="Det finns inget att publicera (det kan ha gått ut efter 15 minuter).",
    delay_usage="/delay PASS MINUTER, t.ex. /delay race1 10 (negativt flyttar passet tidigare)",
    delay_which="Vilket pass, och hur många minuter?",
    delay_not_minutes="{value!r} är inte ett antal minuter.",
    delay_range="Förseningen måste vara mellan -1440 och 1440 minuter, inte 0.",
    cancel_which="Vilket pass?",
    cancel_usage="/cancel PASS, t.ex. /cancel race2",
    announce_empty="Meddelandet är tomt.",
    announce_usage="/announce TEXT, eller på två språk: /announce sv: TEXT en: TEXT",
    announce_too_long="Meddelandet är för långt (högst 3000 tecken).",
    announce_shorten="Korta det",
    no_started_weekend="Ingen tävlingshelg har börjat än, så det finns inga resultat att föra in.",
    no_started_weekend_hint="Resultat kan föras in när helgens första dag har börjat.",
    weekend_gone="Den tävlingshelgen finns inte längre i schemat.",
    unknown_session="Okänt pass: {query!r}",
    ambiguous_session="{query!r} passar flera pass",
    choose_one="Välj ett av: {choices}",
    no_weekend="Ingen kommande helg att hitta {query!r} i.",
    full_key="Skriv hela nyckeln, t.ex. tcr-europe-2020/r6/race1",
    unknown="Okänt kommando /{name}.",
    bad_option="Det går inte att använda {value!r} här. Välj ett av förslagen.",
    failed="Något gick fel, inget ändrades. Försök igen om en stund.",
    sent_privately="Svaret skickades till dig privat.",
    dm_first="Skriv till mig privat först ({bot}), så skickar jag svaret dit.",
    whoami=(
        "Ditt användar-id på {platform}: {user_id}\nPersonal kan ge dig behörighet med /staff "
        "add {user_id}"
    ),
    whoami_staff="Ditt användar-id på {platform}: {user_id} – du är personal.",
    staff_usage=(
        "/staff add ID, /staff remove ID, /staff list – ID är det /whoami visar personen (på "
        "Discord går en @-omnämning också; på Telegram kan du svara på ett av personens "
        "meddelanden med /staff add)"
    ),
    staff_not_id="“{who}” är inget användar-id.",
    staff_added="{who} är nu personal på {platform}; det gäller direkt.",
    staff_already="{who} är redan personal på {platform}.",
    staff_removed="{who} är inte längre personal på {platform}.",
    staff_not_added=(
        "{who} finns inte bland personalen som lagts till i chatten på {platform}; personal i "
        "konfigurationen ändras där."
    ),
    staff_list=(
        "Personal tillagd i chatten på {platform}: {ids}. Personal i konfigurationen visas inte."
    ),
    staff_none=(
        "Ingen personal har lagts till i chatten på {platform} än. Personal i konfigurationen "
        "visas inte."
    ),
    render=c.RenderTexts(
        round="deltävling {n}",
        round_of="deltävling {n} av {total}",
        timetable="Tidsschema",
        all_times="(alla tider i {zone})",
        zone_names={"Europe/Stockholm": "svensk tid"},
        city_time="{city}-tid",
        streams="Live-sändning",
        timing="Live-timing",
        track="Om banan",
        photo="Foto: {credit}",
        length="Längd: {km} km",
        turns="Antal kurvor: {n}",
        weekend="Helgens schema",
        starts_in="{name} startar om {left}",
        start="Start",
        watch="Se det live",
        live_now="LIVE NU: {name}",
        follow="Följ",
        moved="Ändrat schema: {name} flyttas",
        new_time="Ny tid",
        old_time="tidigare",
        cancelled="Inställt: {name}",
        cancelled_text="{name} är inställt.",
        cancelled_due="Passet körs inte. Det skulle ha startat ",
        restored="{name} körs igen enligt schemat",
        from_team="Meddelande från teamet",
        minutes="{n} minuter",
        tentative="preliminär tid",
        times_to_come="tiderna kommer",
        time_to_come="tid kommer",
        day_time_to_come="dag och tid kommer",
        other_sessions="Övriga pass",
        updated="✏️ Uppdaterad",
        console_chat="konsol",
        all_races="alla race",
        decimal_mark=",",
    ),
    results=c.ResultWording(
        in_class="i",
        place="{place} plats",
        no_result="inget resultat",
        removed="Borttaget: ",
        statuses={
            "DNF": "bröt (DNF)",
            "DNS": "startade inte (DNS)",
            "DSQ": "diskvalificerad (DSQ)",
            "NC": "ej klassad (NC)",
        },
        bare_after="sxz",
        possessive_bare="{name}",
        possessive="{name}s",
        results_heading="resultat",
        results_title="Resultat",
        round_word="deltävling",
        standings_title="Mästerskapsställning",
        overall_top="Totalt (Topp {top})",
        top_words={
            1: "ett",
            2: "två",
            3: "tre",
            4: "fyra",
            5: "fem",
            6: "sex",
            7: "sju",
            8: "åtta",
            9: "nio",
            10: "tio",
        },
        after_rounds="Efter {after} av {of} tävlingshelger",
    ),
    phrases=SV_PHRASES,
    authoring=SV_AUTHORING,
    telegram=c.TelegramTexts(
        publish="✅ Publicera",
        cancel="✖️ Avbryt",
        filler="⋯",
        language_button="🇸🇪 Svenska",
        kind_presets={
            "race": "Race",
            "race+qualifying": "Race+kval",
            "race+qualifying+practice+other": "Alla pass",
        },
    ),
    discord=c.DiscordTexts(
        command_names={
            "next": "nästa",
            "schedule": "schema",
            "calendar": "kalender",
            "results": "resultat",
            "standings": "ställning",
            "help": "hjälp",
            "subscribe": "prenumerera",
            "unsubscribe": "avprenumerera",
            "settings": "inställningar",
            "server_settings": "serverinställningar",
            "setup": "konfigurera",
            "delay": "försena",
            "cancel": "ställ-in",
            "announce": "meddela",
            "result": "rapportera-resultat",
            "post_standings": "publicera-ställning",
            "whoami": "vem-är-jag",
            "staff": "personal",
            "release": "pressmeddelande",
        },
        permission_names={
            "view_channel": "Visa kanal",
            "send_messages": "Skicka meddelanden",
            "embed_links": "Bädda in länkar",
            "attach_files": "Bifoga filer",
        },
        language_names={"sv": "svenska", "en": "engelska"},
        publish="Publicera",
        cancel="Avbryt",
        your_time="(tiderna i din egen tidszon)",
        role_added=(
            "Klart! Du har nu rollen {role} och pingas inför passen. {unsubscribe} tar bort rollen."
        ),
        role_removed="Rollen {role} är borttagen, du pingas inte längre.",
        role_replaced="{role} är borttagen: ditt nya val ersätter den.",
        role_forbidden=(
            "Jag får inte dela ut rollen {role}. Be en admin ge mig behörigheten Hantera roller "
            "och lägga min roll ovanför {role}."
        ),
        role_failed="Det gick inte att ändra rollen just nu, försök igen om en stund.",
        dm_welcome=(
            "Hej! Här får du påminnelser inför passen, ”LIVE NU” med länkar och resultat från "
            "{team}. {settings} ändrar språk och påminnelsetider, {unsubscribe} stoppar "
            "utskicken."
        ),
        dm_on="Klart! Påminnelserna kommer som direktmeddelanden.",
        dm_off="Direktmeddelandena är avstängda.",
        dm_closed=(
            "Jag kan inte skicka direktmeddelanden till dig. Tillåt direktmeddelanden från "
            "servermedlemmar (serverns integritetsinställningar) och försök igen."
        ),
        dm_missing=(
            "Du har inga påminnelser som direktmeddelanden. {subscribe} med via: Direktmeddelande "
            "slår på dem."
        ),
        nothing_here=(
            "Den här servern har ingen påminnelseroll ännu. Be en admin köra {setup}, eller skriv "
            "{subscribe} med via: Direktmeddelande för att få påminnelserna som "
            "direktmeddelanden."
        ),
        not_subscribed="Du prenumererar inte här.",
        setup_saved="Sparat: påminnelserna går till {channel}{role}, på {post_language}.",
        setup_moved="De går inte längre till {old}.",
        setup_refused=(
            "Jag kan inte använda {channel}: jag saknar {missing}. Ge min roll det i kanalens "
            "behörigheter och kör {setup} igen."
        ),
        setup_role_unassignable=(
            "Varning: jag kan inte dela ut {role} när fans skriver {subscribe}. Ge mig Hantera "
            "roller och lägg min roll ovanför {role}."
        ),
        setup_role_silent=(
            "Varning: {role} går inte att pinga. Gör rollen nämnbar (Tillåt alla att @nämna den "
            "här rollen)."
        ),
        setup_no_events=(
            "Tips: ge mig Hantera evenemang så lägger jag helgens pass som evenemang i servern."
        ),
        no_settings_here=(
            "Inställningarna gäller din prenumeration som direktmeddelanden: slå på den med "
            "{subscribe} och via: Direktmeddelande."
        ),
        no_channel="Servern har ingen påminnelsekanal ännu: kör {setup} först.",
        no_permission=(
            "Jag kan inte skriva i {channel} i {guild} – ge mig behörigheten {missing} och kör "
            "{setup} igen."
        ),
        no_embed_links=(
            "Jag får inte bädda in länkar i {channel} i {guild}, så inläggen kommer som vanlig "
            "text. Ge min roll behörigheten Bädda in länkar i kanalen så ser de ut som vanligt "
            "igen."
        ),
        channel_deleted=(
            "Kanalen {channel} i {guild} togs bort, så påminnelserna där är avstängda. Kör "
            "{setup} för att välja en ny kanal."
        ),
        role_deleted=(
            "Rollen {role} i {guild} togs bort: påminnelserna skickas nu utan ping. Kör {setup} "
            "för att välja en ny roll."
        ),
        staff_note=(
            "Fans ser inte personalkommandona. Ge personalrollen tillgång under "
            "Serverinställningar → Integrationer → racebot."
        ),
        result_hint="t.ex. andreas 15 trophy 2 jessica dnf",
    ),
    release=c.ReleaseTexts(
        collecting=(
            "Klistra in pressmeddelandet, i ett eller flera meddelanden, och skriv /done när allt "
            "är med (det du klistrar in sparas i 24 timmar, även över en omstart; /cancel "
            "slänger det). Du kan också skicka det som .txt- eller .docx-fil."
        ),
        collected="Fått {lines} rader. Skicka mer, eller /done för ett utkast av allt.",
        empty="Inget pressmeddelande att läsa: skriv /release och klistra in texten.",
        nothing_found=(
            "Hittade varken tidsschema, kalender, resultat eller tabeller i pressmeddelandet."
        ),
        file_type="{name}: skicka pressmeddelandet som .txt eller .docx.",
        file_unreadable="Kunde inte läsa {name}: {error}",
        too_large="Filen är för stor (högst {limit}).",
        title="Pressmeddelande – utkast",
        create="Skapar helgen {series} {event} ({first}–{last}), i svensk tid:",
        update="Uppdaterar helgen {series} {event} ({first}–{last}), i svensk tid:",
        no_times="  tiderna kommer",
        facts="  Om banan: {facts}",
        results="Registrerar resultat, {series} {event}:",
        standings="Publicerar tabellen {title} ({rows} rader)",
        unused_title="Används inte:",
        line="{lines}: {text} – {why}",
        lines_word="rad {first}–{last}",
        line_word="rad {first}",
        why={
            "prose": "löptext",
            "not_understood": "förstods inte",
            "left_out": "tabelläsaren tog inte med raden",
            "credit": "fotobyline (följer med bilden)",
            "link": "länk utan plats i schemat",
            "fact": "banfakta som schemat saknar fält för",
            "known": "helgen finns redan i schemat och lämnas orörd",
            "next_round": "nästa deltävling (kontrollerad mot schemat)",
        },
        checks={
            "past": "⚠️ Tidsschemats datum ({day}) har redan passerat.",
            "not_run": "⚠️ Resultat för {session}, som inte har körts än.",
            "standings_later": (
                "⚠️ Tabellen gäller efter deltävling {after}, men vi är i deltävling {round}."
            ),
            "next_differs": "⚠️ Nästa deltävling: schemat har {name} som deltävling {round}.",
        },
        credit="Foto: {credit}",
        photo_kept=(
            "Bilden följer med helgens förhandsvisning (eller resultatinlägget) när du "
            "publicerar pressmeddelandet "
            "(skicka det med /release, eller tryck Publicera på utkastet)."
        ),
        photo_too_large=(
            "Bilden är för stor (högst {limit}): skicka en mindre, den här följer inte med."
        ),
        photo_not_image="Det där är ingen bild (JPEG, PNG, GIF eller WebP): den följer inte med.",
        photo_not_kept=(
            "Bilden kunde inte sparas just nu (databasen svarar inte), och inget av den "
            "sparades: skicka den igen om en stund."
        ),
        photo_draft="📷 Bilden du skickade följer med förhandsvisningen, med ”Foto: {credit}”.",
        photo_results_draft=(
            "📷 Bilden du skickade följer med resultatinlägget, med ”Foto: {credit}”."
        ),
        dropped="Pressmeddelandet du klistrade in är slängt.",
        rule=(
            "Helger från pressmeddelanden ersätter "
            "schemafilens helg med samma serie och deltävling."
        ),
        done=(
            "Publicerat: {weekends} helger, {results} pass med resultat, {standings} tabeller; "
            "skickat till {count} mottagare."
        ),
    ),
    # -- the fan's weekend (#14): spoilers, quiet hours, the daily digest ---------------
    spoilers="Dölj placeringar (spoilers)",
    quiet="Tysta timmar",
    digest="Dagsöversikt i stället för träningspåminnelser",
    on="på",
    off="av",
    on_or_off="Skriv på eller av (on/off) efter {key}, inte {value!r}.",
    quiet_unreadable=(
        "Kan inte läsa {value!r} som tysta timmar. Skriv två klockslag i chattens tidszon, "
        "t.ex. 22-07, eller off."
    ),
    fan_settings_usage=(
        "/settings spoilers on|off · /settings quiet 22-07|off · /settings digest on|off"
    ),
    digest_today="Idag",
    digest_practice="FP",
    digest_qualifying="Kval",
    digest_race="Race",
    spoilers_button="🙈 Dölj placeringar",
    quiet_button="🌙 Tyst {window}",
    digest_button="📅 Dagsöversikt",
    # -- the fan's weekend (#14): corrections, late subscribers, announcements, live
    one_chat="1 chatt",
    many_chats="{count} chattar",
    correction="Rättelse: {who} {new} i {session} ({was})",
    corrections="Rättelse i {session}: {changes}",
    correction_item="{who} {new} ({was})",
    correction_was="inte {old}",
    correction_added="tillagt",
    correction_removed="utan resultat",
    correction_arrow="{who}: {old} → {new}",
    correction_follow_up="Rättelsen skickas också till {chats} som fick resultatet:",
    publish_to="Publiceras till {chats}. Publicera?",
    welcome_schedule="Helgens tidsschema: {schedule}.",
    preview_announce_both="Varje chatt får meddelandet på sitt språk. Publicera?",
    announce_in_sv="På svenska:",
    announce_in_en="På engelska:",
    announce_both_usage="/announce sv: TEXT en: TEXT",
    announce_part_empty="Texten efter {prefix} är tom.",
    starting_now="{name} startar nu",
    # -- fan settings that say what they do (#14: presets, /subscribe alla, words not ids)
    kind_words={"race": "race", "qualifying": "kval", "practice": "träning", "other": "övrigt"},
    everything_words=("alla", "allt", "all"),
    subscribed_all="Klart: du får allt igen – alla serier och alla pass.",
    subscription_kept=(
        "Du prenumererar redan och behåller dina val: {what}. Skriv {all} för att få allt igen."
    ),
    subscription_resumed=(
        "Välkommen tillbaka! Du får utskick igen, med dina tidigare val: {what}. Skriv {all} "
        "för att få allt."
    ),
    unsubscribe_what=(
        "Vad ska bort? Skriv t.ex. {example}. Vill du sluta få utskick helt, skriv {stop}."
    ),
    unsubscribed_left="Klart: {removed} är borttaget. Kvar: {what}.",
    nothing_left="Då skulle inget vara kvar. Skriv {stop} om du vill sluta få utskick helt.",
    which_series="{query!r} finns i flera serier. Vilken menar du?",
    schedule_example="Skriv t.ex. {example}. Välj en av: {choices}",
    # -- the fan page (#14)
    page=c.PageTexts(
        other_language="In English",
        cancelled="Inställt",
        swedish_time="Svensk tid",
        your_time="Din tid",
        your_zone="din zon",
        session="Pass",
        watch="Se det live",
        no_races="Inga race inlagda.",
        season_over="Säsongen är slut",
        season_over_lead="Nästa säsongs tider kommer hit så snart de är klara.",
        past_weekends="Tidigare tävlingshelger",
        subscribe="Prenumerera",
        subscribe_lead=(
            "Alla pass kommer in i din kalender och flyttas automatiskt om tiderna ändras."
        ),
        add_to_calendar="Lägg till i kalendern (iPhone, Mac, Outlook)",
        add_to_google="Lägg till i Google Kalender",
        follow_telegram="Följ på Telegram",
        join_discord="Gå med på Discord",
        subscribe_link="prenumerera",
        one_series="Bara en serie",
        calendar_address="Kalenderadress",
        options=(
            "Tillval i adressen: {lang} (engelska), {alarm} (påminnelser, minuter före start), "
            "{kinds} (bara vissa pass)."
        ),
        footer="alla tider i svensk tid, ”Din tid” visar din egen tidszon.",
    ),
    # -- #17 platform conventions: Telegram forum topics
    topic="Ämne",
    topic_general="Allmänt",
    topic_number="ämne {thread}",
    topic_outside=(
        "Skriv /settings topic inne i det ämne där inläggen ska komma, "
        "eller /settings topic general för Allmänt."
    ),
    # -- #17 platform conventions: /calendar's buttons and the chat's own feed
    calendar_personal=(
        "Länken är din egen: den har chattens pass, språk och påminnelser. "
        "Andra kalenderappar prenumererar på adressen ovan."
    ),
    calendar_apple="Apple-kalender (iPhone, Mac)",
    calendar_google="Google Kalender",
    calendar_outlook="Outlook.com",
    calendar_name="{team} – racing",
)
