"""What a new workspace's README.md says: where things are, and the commands to use."""

WORKSPACE_README = """\
# {title}

This is your aisec-tutor workspace. Edit the files in `exercises/`; run
`aisec` here to open the course, or use the plain commands:

    aisec list              lessons and exercises, with your status
    aisec lesson ID         read a lesson in the terminal
    aisec check ID          run the hidden checks on your file
    aisec watch ID          re-check every time you save
    aisec hint ID           reveal the next hint
    aisec reset ID          restore the starter (your file is backed up first)

Reference solutions appear in `solutions/` once an exercise passes.
Your progress is kept in `.aisec/`; it never contains your code.
"""
