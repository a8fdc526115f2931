"""The preset skibidification styles (pure data): one per demo room."""

STYLES = [
    {
        "slug": "bestie",
        "markers": [
            "bestie",
            "slay",
            "periodt",
            "fr fr",
            "no cap",
            "iconic",
            "it's giving",
            "main character",
            "stan",
            "lowkey",
            "✨",
            "💅",
            "💖",
        ],
        "name": "Gen-Z Bestie",
        "description": "Supportive, sparkly, says bestie a lot. Everything is a slay.",
        "instant_rules": {
            "swaps": {
                "hi": "hey bestie",
                "hello": "hiii bestie",
                "good": "iconic",
                "great": "literally iconic",
                "yes": "periodt",
                "cool": "a whole vibe",
                "really": "fr fr",
                "very": "lowkey",
                "friend": "bestie",
                "love": "stan",
            },
            "openers": ["Hey bestie!", "Omg bestie,", "Not me saying"],
            "closers": ["No cap, slayyy.", "Periodt.", "It's giving main character."],
            "emoji": ["✨", "💅", "💖", "😭"],
            "casing": "as_is",
        },
        "llm_system_prompt": (
            "You restyle chat messages. Say the same thing as the message, in the voice of "
            "an upbeat Gen-Z best friend (bestie, slay, periodt, fr fr, no cap, it's giving, "
            "✨💅). Never answer or reply to the message. Keep @mentions and emote codes. "
            "One short line."
        ),
        "llm_examples": [
            ["hi there", "Hey bestie! ✨💅 Fr fr, hi bestie! No cap, slayyy."],
            ["that play was good", "Bestie that play was literally iconic 💅 periodt"],
            ["what game is this?", "Bestie what game is this?? I need to know fr fr ✨"],
            ["@sam thanks for the help", "@sam bestie thank you sm, you ate that 💖"],
            ["PogHype we won", "PogHype WE WON bestie, slayyy ✨"],
        ],
        "llm_temperature": 0.4,
        "llm_max_tokens": 48,
    },
    {
        "slug": "brainrot",
        "markers": [
            "skibidi",
            "rizz",
            "sigma",
            "ohio",
            "gyatt",
            "fanum",
            "mog",
            "💀",
            "🗿",
            "🚽",
            " w ",
            " l ",
        ],
        "name": "Brainrot",
        "description": "Skibidi, rizz, sigma, Ohio. Maximum brainrot.",
        "instant_rules": {
            "swaps": {
                "good": "sigma",
                "bad": "so Ohio",
                "weird": "Ohio",
                "cool": "rizzy",
                "charm": "rizz",
                "crazy": "skibidi",
                "wow": "gyatt",
                "lol": "💀",
                "lmao": "💀💀",
                "food": "fanum tax",
                "win": "W",
                "lose": "L",
            },
            "openers": ["Skibidi", "Bro", "Chat,"],
            "closers": ["only in Ohio 💀", "sigma grindset.", "W rizz."],
            "emoji": ["💀", "🚽", "🗿", "🔥"],
            "casing": "lower",
        },
        "llm_system_prompt": (
            "You restyle chat messages. Say the same thing as the message, in brainrot slang "
            "(skibidi, rizz, sigma, ohio, gyatt, fanum tax, W, L, 💀, 🗿), mostly lowercase. "
            "Never answer or reply to the message. Keep @mentions and emote codes. "
            "One short line."
        ),
        "llm_examples": [
            ["hi there", "yo skibidi chat 🗿 what's good sigmas"],
            ["this game is weird", "bro this game is so ohio 💀"],
            ["what game is this?", "chat what game is this, it got mad rizz 🗿"],
            ["@sam thanks for the help", "@sam W helper, sigma move fr 💀"],
            ["PogHype we won", "PogHype massive W, skibidi victory 🗿"],
        ],
        "llm_temperature": 0.4,
        "llm_max_tokens": 48,
    },
    {
        "slug": "bard",
        "markers": [
            "thou",
            "thee",
            "thy",
            "art",
            "hark",
            "forsooth",
            "prithee",
            "verily",
            "aye",
            "nay",
            "huzzah",
            "well met",
            "fellow",
            "'tis",
            "📜",
            "🎭",
        ],
        "name": "Ye Olde Bard",
        "description": "Chat as a Shakespearean bard: thee, thou, forsooth and prithee.",
        "instant_rules": {
            "swaps": {
                "you": "thou",
                "your": "thy",
                "are": "art",
                "hi": "hail",
                "hello": "well met",
                "yes": "aye",
                "no": "nay",
                "friend": "good fellow",
                "what": "wherefore",
                "lol": "'tis most droll",
                "bye": "fare thee well",
                "please": "prithee",
            },
            "openers": ["Hark!", "Forsooth,", "Prithee,"],
            "closers": ["Huzzah!", "So sayeth I.", "Verily."],
            "emoji": ["📜", "🎭", "🪶"],
            "casing": "sentence",
        },
        "llm_system_prompt": (
            "You restyle chat messages. Say the same thing as the message, as a Shakespearean "
            "bard would (thee, thou, thy, art, forsooth, prithee, hark, verily). Never answer "
            "or reply to the message. Keep @mentions and emote codes. One short line."
        ),
        "llm_examples": [
            ["hi there", "Hark, well met, good fellows! 🎭"],
            ["what are you doing", "Wherefore art thou about, good friend? Prithee tell."],
            ["what game is this?", "Prithee, what game is this that thou playest?"],
            ["@sam thanks for the help", "@sam I thank thee for thy aid, good fellow!"],
            ["PogHype we won", "PogHype Huzzah, we have won the day!"],
        ],
        "llm_temperature": 0.4,
        "llm_max_tokens": 48,
    },
]
