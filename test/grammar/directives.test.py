# SYNTAX TEST "source.python" "fitcheck directives in Python comments"

# The rule codes in a line directive, with the list punctuation
probs = softmax(x)  # fitcheck: ignore[FC101, FC2]
#                     ^^^^^^^^ comment.line.number-sign.python meta.directive.fitcheck keyword.control.directive.fitcheck
#                             ^ meta.directive.fitcheck punctuation.separator.key-value.fitcheck
#                               ^^^^^^ meta.directive.fitcheck keyword.other.ignore.fitcheck
#                                     ^ comment.line.number-sign.python meta.directive.fitcheck punctuation.definition.list.begin.fitcheck
#                                      ^^^^^ comment.line.number-sign.python meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
#                                           ^ meta.directive.fitcheck meta.rule-codes.fitcheck punctuation.separator.comma.fitcheck
#                                             ^^^ meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
#                                                ^ meta.directive.fitcheck punctuation.definition.list.end.fitcheck
# A file directive
# fitcheck: ignore-file[FC401]
# ^^^^^^^^ comment.line.number-sign.python meta.directive.fitcheck keyword.control.directive.fitcheck
#           ^^^^^^^^^^^ meta.directive.fitcheck keyword.other.ignore-file.fitcheck
#                       ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
# A bare directive silences every rule on the line
loss.backward()  # fitcheck: ignore
#                  ^^^^^^^^ comment.line.number-sign.python meta.directive.fitcheck keyword.control.directive.fitcheck
#                            ^^^^^^ meta.directive.fitcheck keyword.other.ignore.fitcheck
# Lower-case codes work (the linter upper-cases them); other codes are marked invalid
# fitcheck:ignore[fc301, E501]
# ^^^^^^^^ keyword.control.directive.fitcheck
#                 ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
#                        ^^^^ meta.directive.fitcheck meta.rule-codes.fitcheck invalid.illegal.rule-code.fitcheck
# Text around the directive stays a plain comment
# TODO: tidy up; fitcheck: ignore[FC504] until then
#       ^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
#                                 ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
#                                        ^^^^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
# A space before the list makes it a bare ignore, as the linter reads it
# fitcheck: ignore [FC101]
#           ^^^^^^ keyword.other.ignore.fitcheck
#                  ^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
# ignore-files is not a directive keyword: only "ignore" counts, as in the linter
# fitcheck: ignore-files[FC101]
#           ^^^^^^ keyword.other.ignore.fitcheck
#                 ^^^^^^^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
# An unclosed list is not highlighted, and does not run into the next line
# fitcheck: ignore[FC101
#           ^^^^^^ keyword.other.ignore.fitcheck
#                 ^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
total = total + loss
# <----- - comment.line.number-sign.python meta.directive.fitcheck
#               ^^^^ - comment.line.number-sign.python meta.directive.fitcheck
# Other words after "fitcheck" are not directives
# fitcheck: ignored by nobody, fitcheck rules
# ^^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
#           ^^^^^^^ comment.line.number-sign.python - meta.directive.fitcheck
# Directive-like text in a string is not a comment, so it is not highlighted
note = "fitcheck: ignore-file[FC101]"
#       ^^^^^^^^ string.quoted.single.python - comment.line.number-sign.python meta.directive.fitcheck
#                             ^^^^^ string.quoted.single.python - meta.directive.fitcheck
# After a type comment, a second comment carries the directive
losses = []  # type: List[float]  # fitcheck: ignore[FC504]
#                                   ^^^^^^^^ comment.line.number-sign.python meta.directive.fitcheck keyword.control.directive.fitcheck
#                                                    ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
# Inside a type comment too: the directive wins over the type-comment patterns (the L: priority)
model = build()  # type: Model  fitcheck: ignore[FC101]
#                        ^^^^^ meta.typehint.comment.python comment.typehint.variable.notation.python
#                               ^^^^^^^^ meta.typehint.comment.python meta.directive.fitcheck keyword.control.directive.fitcheck - comment.typehint.variable.notation.python
#                                                ^^^^^ meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck - comment.typehint.variable.notation.python
