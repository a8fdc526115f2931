"""A fixed evaluation set of realistic chat lines (pure data), for ``skibidi_eval``.

Greetings, questions, hype, emotes, mentions, non-English lines and one-word
messages, as a live chat sees them. Emote codes are the demo's.
"""

LINES = [
    # greetings and goodbyes
    "hi there",
    "hello everyone",
    "hey chat how is everyone doing today",
    "good morning from germany",
    "just got here what did I miss",
    "first time watching, love the vibe",
    "gotta go, see you tomorrow",
    "good night chat",
    # questions
    "what game is this?",
    "how long have you been streaming today?",
    "what rank are you right now",
    "is this your first playthrough?",
    "what keyboard do you use",
    "when is the next stream",
    "can you explain what just happened",
    "who won the last match?",
    "does anyone know the song name",
    # hype and reactions
    "that was insane",
    "no way he hit that shot",
    "LETS GOOOO",
    "this boss fight is so hard",
    "clip that right now",
    "best stream of the week for real",
    "I can't believe that worked",
    "that jump was so clean",
    "we are so back",
    "this is the worst luck I have ever seen",
    "the chat is going crazy right now",
    "you are cracked at this game",
    "that was a terrible decision lol",
    # emotes
    "PogHype that was insane",
    "OhioSkull OhioSkull OhioSkull",
    "SadgeCry we lost again",
    "SigmaShades too cool",
    "BestieLove this community",
    "GlowSmile good vibes only",
    "lol NoCapFace",
    "PogHype PogHype",
    # mentions
    "@mod_mia thanks for the help",
    "@streamer you should try the other route",
    "@sub_sam welcome back",
    "@vip_vic did you see that",
    "gg @streamer great run",
    # non-English
    "hola a todos",
    "c'est incroyable",
    "das war knapp",
    "que jogada linda",
    "こんにちは",
    "ciao ragazzi",
    "привет всем",
    # one word
    "gg",
    "lol",
    "wow",
    "F",
    "W",
    "nice",
    "pog",
    "rip",
    # longer and mixed
    "I have been watching for three hours and I still do not understand the rules",
    "my cat just walked over my keyboard sorry chat",
    "remember to drink water everyone",
    "the music is a bit loud compared to your voice",
    "can we get some hype in the chat for the raid",
    "this strategy only works if you have the double jump upgrade",
]
