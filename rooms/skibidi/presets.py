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
            "Rewrite the chat message as an upbeat Gen-Z best friend: words like bestie, "
            "slay, periodt, fr fr, no cap, it's giving; one or two emoji such as ✨💅. Keep "
            "the meaning, names, @mentions and emote codes exactly. One short line only."
        ),
        "llm_examples": [
            ["hi there", "Hey bestie! ✨💅 Fr fr, hi bestie! No cap, slayyy."],
            ["that play was good", "Bestie that play was literally iconic 💅 periodt"],
        ],
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
            "Rewrite the chat message in brainrot slang: skibidi, rizz, sigma, Ohio, gyatt, "
            "fanum tax, W and L, with a 💀 or 🗿. Keep the meaning, names, @mentions and emote "
            "codes exactly. One short line, mostly lowercase."
        ),
        "llm_examples": [
            ["hi there", "yo skibidi chat 🗿 what's good sigmas"],
            ["this game is weird", "bro this game is so ohio 💀"],
        ],
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
            "Rewrite the chat message as a Shakespearean bard: thee, thou, thy, art, forsooth, "
            "prithee, hark, verily. Keep the meaning, names, @mentions and emote codes exactly. "
            "One short line."
        ),
        "llm_examples": [
            ["hi there", "Hark, well met, good fellows! 🎭"],
            ["what are you doing", "Wherefore art thou about, good friend? Prithee tell."],
        ],
    },
]
