import { Anchor, type AnchorProps, NavLink, type NavLinkProps } from '@mantine/core'
import { createLink } from '@tanstack/react-router'
import { type AnchorHTMLAttributes, forwardRef } from 'react'

type AnchorAttrs = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'>

// Mantine's polymorphic types are too wide for createLink; fixing the element to <a> keeps every prop typed.
const AnchorLink = forwardRef<HTMLAnchorElement, AnchorProps & AnchorAttrs>((props, ref) => <Anchor ref={ref} {...props} />)
const NavLinkLink = forwardRef<HTMLAnchorElement, NavLinkProps & AnchorAttrs>((props, ref) => <NavLink ref={ref} {...props} />)

/** Mantine components that navigate with the router (real hrefs, so middle-click and screen readers work). */
export const RouterAnchor = createLink(AnchorLink)
export const RouterNavLink = createLink(NavLinkLink)
